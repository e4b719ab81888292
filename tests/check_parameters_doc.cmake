# Fails when docs/parameters.md differs from `readmit schema --format markdown`.
execute_process(COMMAND "${READMIT}" schema --format markdown OUTPUT_VARIABLE generated RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "readmit schema failed with ${status}")
endif()
file(READ "${DOC}" current)
if(NOT generated STREQUAL current)
  message(FATAL_ERROR "docs/parameters.md is out of date: regenerate it with\n  readmit schema --format markdown > docs/parameters.md")
endif()
