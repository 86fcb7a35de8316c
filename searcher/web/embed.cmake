# embed.cmake - turn the search page (IN) into a C array (OUT), so that
# searchd carries its page and never reads a file at run time.
file(READ ${IN} bytes HEX)
string(LENGTH "${bytes}" hex_len)
math(EXPR len "${hex_len} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," array "${bytes}")
file(WRITE ${OUT} "/* Generated from searcher/web/index.html by embed.cmake. */\n#include <stddef.h>\nconst char fh_web_page[] = {${array} 0};\nconst size_t fh_web_page_len = ${len};\n")
