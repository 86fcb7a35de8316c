# fihris_unit.cmake - writes fihris-searchd.service when installing, its
# ExecStart naming searchd under the prefix given then (cmake --install
# --prefix), which the configured one may not be.
# Set by the caller: FIHRIS_UNIT_IN, FIHRIS_UNIT_OUT and the GNUInstallDirs
# directory FIHRIS_BINDIR.
if(IS_ABSOLUTE "${FIHRIS_BINDIR}")
  set(bindir "${FIHRIS_BINDIR}")
else()
  set(bindir "${CMAKE_INSTALL_PREFIX}/${FIHRIS_BINDIR}")
endif()
file(READ "${FIHRIS_UNIT_IN}" unit)
string(REPLACE "ExecStart=/usr/bin/searchd " "ExecStart=${bindir}/searchd " unit "${unit}")
file(WRITE "${FIHRIS_UNIT_OUT}" "${unit}")
