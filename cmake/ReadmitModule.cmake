# readmit_module(NAME [SOURCES extra...] [SUBFOLDERS folder...] [DEPENDS module...] [PRIVATE_LIBS target...])
#
# Builds the static library readmit_NAME from sim/NAME/*.cpp and
# sim/NAME/FOLDER/*.cpp of each of SUBFOLDERS; its private headers are
# included from sim/NAME ("reading/reader.hpp"). Its public headers are
# include/readmit/NAME/*.hpp. The library compiles against an include tree of
# its own, build/layers/NAME/readmit/, holding links to its own header folder
# and to those of the modules it depends on (directly or through them), and
# nothing else: including a header of a module above it is a compile error.
# Modules a module depends on are linked PUBLIC, since its headers include
# theirs; third-party libraries are PRIVATE (no public header includes one).
set(READMIT_MODULES "" CACHE INTERNAL "readmit's module targets, bottom up")

function(readmit_module name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "SOURCES;SUBFOLDERS;DEPENDS;PRIVATE_LIBS")
  set(target readmit_${name})
  set(patterns "${PROJECT_SOURCE_DIR}/sim/${name}/*.cpp")
  foreach(folder IN LISTS arg_SUBFOLDERS)
    list(APPEND patterns "${PROJECT_SOURCE_DIR}/sim/${name}/${folder}/*.cpp")
  endforeach()
  file(GLOB sources CONFIGURE_DEPENDS ${patterns})
  add_library(${target} STATIC ${sources} ${arg_SOURCES})

  # The modules visible from this one: itself and everything below it.
  set(visible ${name})
  foreach(dependency IN LISTS arg_DEPENDS)
    get_property(below GLOBAL PROPERTY READMIT_VISIBLE_${dependency})
    list(APPEND visible ${below})
  endforeach()
  list(REMOVE_DUPLICATES visible)
  set_property(GLOBAL PROPERTY READMIT_VISIBLE_${name} ${visible})

  set(layer "${PROJECT_BINARY_DIR}/layers/${name}")
  file(REMOVE_RECURSE "${layer}")
  file(MAKE_DIRECTORY "${layer}/readmit")
  foreach(module IN LISTS visible)
    file(CREATE_LINK "${PROJECT_SOURCE_DIR}/include/readmit/${module}" "${layer}/readmit/${module}" SYMBOLIC)
  endforeach()
  target_include_directories(${target} PUBLIC $<BUILD_INTERFACE:${layer}> $<INSTALL_INTERFACE:include>
                             PRIVATE "${PROJECT_SOURCE_DIR}/sim/${name}")

  list(TRANSFORM arg_DEPENDS PREPEND readmit_ OUTPUT_VARIABLE module_targets)
  target_link_libraries(${target} PUBLIC ${module_targets} PRIVATE ${arg_PRIVATE_LIBS}
                        $<BUILD_INTERFACE:readmit_warnings>)
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${name} POSITION_INDEPENDENT_CODE ON)
  add_library(readmit::${name} ALIAS ${target})
  set(READMIT_MODULES ${READMIT_MODULES} ${target} CACHE INTERNAL "")
endfunction()
