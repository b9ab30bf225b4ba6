#!/usr/bin/env python3
"""Prints what a Go binary says about its build, as the fixtures' ground truth:
`go<TAB>go1.19.8`, then the module information lines as `go version -m`
shows them (path, mod, dep, build). Reads the Go 1.18+ build info (the
`\\xff Go buildinf:` header with inline strings); exits 1 for anything else.

usage: go-buildinfo.py BINARY
"""
import sys

MAGIC = b"\xff Go buildinf:"


def varint(data, pos):
    value = shift = 0
    while True:
        b = data[pos]
        pos += 1
        value |= (b & 0x7F) << shift
        if b < 0x80:
            return value, pos
        shift += 7


def main(path):
    data = open(path, "rb").read()
    at = data.find(MAGIC)
    if at < 0 or not data[at + 15] & 2:  # flag 2: version and modinfo inline (Go 1.18+)
        return 1
    pos = at + 32
    n, pos = varint(data, pos)
    version = data[pos : pos + n].decode()
    pos += n
    n, pos = varint(data, pos)
    modinfo = data[pos : pos + n]
    # modinfo is framed by two 16-byte sentinels
    modinfo = modinfo[16:-16].decode() if len(modinfo) >= 32 else ""
    print(f"go\t{version}")
    for line in modinfo.splitlines():
        if line:
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
