# SPDX-License-Identifier: GPL-2.0
# cmake -DIN=file -DOUT=header -DNAME=MACRO -P digest_header.cmake: writes a header
# defining MACRO as the first 16 hex digits of IN's SHA-256 (a name that changes
# whenever IN does).
file(SHA256 "${IN}" digest)
string(SUBSTRING "${digest}" 0 16 tag)
set(text "/* Generated from ${IN}. */\n#define ${NAME} \"${tag}\"\n")
if(EXISTS "${OUT}")
  file(READ "${OUT}" old)
endif()
if(NOT "${old}" STREQUAL "${text}")
  file(WRITE "${OUT}" "${text}")
endif()
