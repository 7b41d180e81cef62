# Debian package of NN Studio: `cpack -G DEB` in the build folder (after building) writes
# nnstudio_<version>_<arch>.deb with both programs, the bundled example models, a .desktop
# entry and the icon. Dependencies come from dpkg-shlibdeps.
install(FILES ${PROJECT_SOURCE_DIR}/packaging/nnstudio.desktop DESTINATION share/applications)
install(FILES ${PROJECT_SOURCE_DIR}/resources/icons/nnstudio.svg DESTINATION share/icons/hicolor/scalable/apps)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/resources/models/ DESTINATION share/nnstudio/models)

set(CPACK_PACKAGE_NAME "nnstudio")
set(CPACK_PACKAGE_VENDOR "NN Studio")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Design and train neural networks visually (PyTorch-compatible)")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "NN Studio developers <dev@nnstudio.invalid>")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION "science")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_STRIP_FILES ON)
include(CPack)
