# embed.cmake - turn a file of the search page (IN) into the C array NAME,
# with its length NAME_len, in OUT, so that searchd carries its page and
# never reads a file at run time.
file(READ ${IN} bytes HEX)
string(LENGTH "${bytes}" hex_len)
math(EXPR len "${hex_len} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," array "${bytes}")
get_filename_component(file ${IN} NAME)
file(WRITE ${OUT} "/* Generated from searcher/web/${file} by embed.cmake. */\n#include <stddef.h>\nconst char ${NAME}[] = {${array} 0};\nconst size_t ${NAME}_len = ${len};\n")
