# fihris_pc.cmake - writes fihris.pc when installing, for the prefix given
# then (cmake --install --prefix), which the configured one may not be.
# Set by the caller: FIHRIS_PC_IN, FIHRIS_PC_OUT, FIHRIS_VERSION and the
# GNUInstallDirs directories FIHRIS_LIBDIR and FIHRIS_INCLUDEDIR.
set(prefix "${CMAKE_INSTALL_PREFIX}")
foreach(dir libdir includedir)
  string(TOUPPER "FIHRIS_${dir}" var)
  if(IS_ABSOLUTE "${${var}}")
    set(${dir} "${${var}}")
  else()
    set(${dir} "\${prefix}/${${var}}")
  endif()
endforeach()
configure_file("${FIHRIS_PC_IN}" "${FIHRIS_PC_OUT}" @ONLY)
