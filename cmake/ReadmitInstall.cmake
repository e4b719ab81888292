# `cmake --install` puts the readmit tool, the module libraries, the public
# headers and a CMake package in the prefix, so that another project can say
#   find_package(readmit REQUIRED)
#   target_link_libraries(app PRIVATE readmit::core)
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(TARGETS readmit RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# The Python package's files, where `readmit report` looks for readmit.report
# when the source tree is gone (the C++ module is installed beside them by
# sim/python when it is built).
install(DIRECTORY "${PROJECT_SOURCE_DIR}/sim/python/readmit" DESTINATION "${READMIT_PYTHON_INSTALL_DIR}"
        FILES_MATCHING PATTERN "*.py" PATTERN "__pycache__" EXCLUDE)
install(TARGETS ${READMIT_MODULES} readmit_core EXPORT readmitTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/readmit" DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT readmitTargets NAMESPACE readmit:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/readmit)
configure_package_config_file("${PROJECT_SOURCE_DIR}/cmake/readmitConfig.cmake.in"
                              "${PROJECT_BINARY_DIR}/readmitConfig.cmake"
                              INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/readmit)
write_basic_package_version_file("${PROJECT_BINARY_DIR}/readmitConfigVersion.cmake"
                                 COMPATIBILITY SameMinorVersion)
install(FILES "${PROJECT_BINARY_DIR}/readmitConfig.cmake" "${PROJECT_BINARY_DIR}/readmitConfigVersion.cmake"
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/readmit)
