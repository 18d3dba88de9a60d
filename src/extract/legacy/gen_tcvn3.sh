#!/bin/sh
# Prints bytes 0xA1..0xFF as glibc's iconv decodes TCVN5712-1, the check
# string `GLIBC` in tcvn3.rs's tests.
for b in $(seq 161 255); do
  printf "\\$(printf %03o "$b")" | iconv -f TCVN5712-1 -t UTF-8
done
echo
