#include "readmit/io/output_file.hpp"

#include <zlib.h>
#include <string>
#include <vector>

namespace readmit {

// zlib's deflate with a gzip wrapper. Level 1: CSV compresses about five to
// ten times even so, and the writer stays fast. The header carries no time
// stamp, so a file's bytes depend only on its contents (and zlib's version).
class OutputFile::Deflater {
 public:
  explicit Deflater(const std::filesystem::path& path) : path_(path.string()) {
    if (deflateInit2(&stream_, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
      throw IoError("cannot start gzip compression for '" + path_ + "'");
  }
  ~Deflater() { deflateEnd(&stream_); }
  Deflater(const Deflater&) = delete;
  Deflater& operator=(const Deflater&) = delete;

  void compress(std::string_view bytes, bool finish, std::ostream& out) {
    stream_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
    stream_.avail_in = static_cast<uInt>(bytes.size());
    int status = Z_OK;
    do {
      stream_.next_out = buffer_.data();
      stream_.avail_out = static_cast<uInt>(buffer_.size());
      status = deflate(&stream_, finish ? Z_FINISH : Z_NO_FLUSH);
      if (status == Z_STREAM_ERROR) throw IoError("gzip compression failed for '" + path_ + "'");
      out.write(reinterpret_cast<const char*>(buffer_.data()),
                static_cast<std::streamsize>(buffer_.size() - stream_.avail_out));
    } while (stream_.avail_out == 0 || (finish && status != Z_STREAM_END));
  }

 private:
  std::string path_;
  z_stream stream_{};
  std::vector<Bytef> buffer_ = std::vector<Bytef>(std::size_t{1} << 18);
};

std::filesystem::path OutputFile::on_disk(const std::filesystem::path& name, bool gzip) {
  return gzip ? std::filesystem::path(name.string() + ".gz") : name;
}

OutputFile::OutputFile(const std::filesystem::path& path, bool gzip)
    : path_(on_disk(path, gzip)), file_(path_), deflater_(gzip ? std::make_unique<Deflater>(path_) : nullptr) {}

OutputFile::OutputFile(const Directory& directory, const std::string& name, bool gzip, StagedFiles* staging)
    : path_(directory.path() / on_disk(name, gzip)),
      file_(directory, on_disk(name, gzip).string(), staging),
      deflater_(gzip ? std::make_unique<Deflater>(path_) : nullptr) {}

OutputFile::~OutputFile() = default;

void OutputFile::write(std::string_view bytes) {
  // zlib takes at most 4 GiB at a time.
  constexpr std::size_t most = std::size_t{1} << 30;
  for (std::size_t at = 0; at < bytes.size(); at += most) {
    const auto part = bytes.substr(at, most);
    if (deflater_)
      deflater_->compress(part, /*finish=*/false, file_.stream());
    else
      file_.stream().write(part.data(), static_cast<std::streamsize>(part.size()));
  }
}

void OutputFile::commit() {
  if (deflater_) deflater_->compress({}, /*finish=*/true, file_.stream());
  file_.commit();
}

}  // namespace readmit
