# Installs the build in BUILD_DIR under WORK_DIR/prefix, as a package would,
# then checks the collector's systemd unit (systemd-analyze verify: its
# settings, and that the commands it runs exist), that the starter config it
# names is valid (telltale-collector --check-config), and that installing
# again keeps a config the operator edited. Run by ctest (InstalledService).
include(${CMAKE_CURRENT_LIST_DIR}/run_or_fail.cmake)
file(REMOVE_RECURSE ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)
set(config ${prefix}/etc/telltale/telltale.toml)
run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})
run(${SYSTEMD_ANALYZE} verify ${prefix}/lib/systemd/system/telltale-collector.service)
file(STRINGS ${prefix}/lib/systemd/system/telltale-collector.service exec REGEX "^ExecStart=")
if(NOT exec STREQUAL "ExecStart=${prefix}/bin/telltale-collector --config ${config}")
  message(FATAL_ERROR "the unit runs \"${exec}\", not the installed collector with the installed config")
endif()
run(${prefix}/bin/telltale-collector --check-config --config ${config})
file(APPEND ${config} "# an operator's edit\n")
run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})
file(READ ${config} kept)
if(NOT kept MATCHES "an operator's edit")
  message(FATAL_ERROR "installing again replaced the operator's ${config}")
endif()
