# run(COMMAND...): runs a command from a ctest script (cmake -P), failing the
# script, with the command, when it exits non-zero.
function(run)
  execute_process(COMMAND ${ARGV} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGV}")
  endif()
endfunction()
