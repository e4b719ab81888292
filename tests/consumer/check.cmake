# Installs readmit into a fresh prefix, builds tests/consumer against it and
# runs it. -DBUILD=... (readmit's build folder) -DSOURCE=... (its sources)
# -DWORK=... (scratch folder) -DSCENARIO=...
file(REMOVE_RECURSE "${WORK}")
execute_process(COMMAND ${CMAKE_COMMAND} --install "${BUILD}" --prefix "${WORK}/prefix" RESULT_VARIABLE status
                OUTPUT_QUIET)
if(status)
  message(FATAL_ERROR "install failed")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -S "${SOURCE}/tests/consumer" -B "${WORK}/build"
                        -DCMAKE_PREFIX_PATH=${WORK}/prefix -DCMAKE_BUILD_TYPE=Release
                RESULT_VARIABLE status OUTPUT_QUIET)
if(status)
  message(FATAL_ERROR "configuring the consumer failed")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build "${WORK}/build" RESULT_VARIABLE status OUTPUT_QUIET)
if(status)
  message(FATAL_ERROR "building the consumer failed")
endif()
execute_process(COMMAND "${WORK}/build/consumer" "${SCENARIO}" RESULT_VARIABLE status OUTPUT_VARIABLE out)
if(status OR NOT out MATCHES "^removals [0-9]+")
  message(FATAL_ERROR "the consumer did not run: ${out}")
endif()
message(STATUS "${out}")
