# Runs `TOEGANG OPTION` and writes its stdout to OUT (cmake -P): how the
# build makes toegang(1) (--man-page) and the bash completion
# (--bash-completion) from the CLI's command table.
execute_process(COMMAND "${TOEGANG}" "${OPTION}" OUTPUT_FILE "${OUT}"
                RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  file(REMOVE "${OUT}")
  message(FATAL_ERROR "${TOEGANG} ${OPTION} failed: ${result}")
endif()
