#pragma once
// Input checks shared by the analyses of a design (private to the stats
// module).

#include <cmath>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

#include "readmit/stats/design.hpp"
#include "readmit/util/text.hpp"

namespace readmit::detail {

/// Throws std::invalid_argument, naming `function`, unless x's values match
/// its shape, there is one `output_name` per row of x (`outputs` of them), and
/// every value of x is finite.
inline void check_design_points(std::string_view function, const DesignMatrix& x, std::size_t outputs,
                                std::string_view output_name) {
  const std::string prefix = std::string(function) + ": ";
  if (x.values.size() != x.rows * x.cols) {
    throw std::invalid_argument(prefix + "a " + format_number(x.rows) + "x" + format_number(x.cols) +
                                " design matrix holds " + format_number(x.values.size()) + " values");
  }
  if (outputs != x.rows) {
    throw std::invalid_argument(prefix + "expected one " + std::string(output_name) + " per point, found " +
                                format_number(outputs) + " " + std::string(output_name) + "s for " +
                                format_number(x.rows) + " points");
  }
  for (std::size_t r = 0; r < x.rows; ++r) {
    for (std::size_t c = 0; c < x.cols; ++c) {
      if (!std::isfinite(x(r, c))) {
        throw std::invalid_argument(prefix + "expected finite factor values, found " + format_number(x(r, c)) +
                                    " at point " + format_number(r) + ", factor " + format_number(c));
      }
    }
  }
}

}  // namespace readmit::detail
