# Sets the video track's display matrix (tkhd) of an MP4 to a rotation, as phones write it.
# usage: python3 make-rotated.py IN.mp4 OUT.mp4 DEGREES(90|180|270, clockwise)
import struct
import sys

data = bytearray(open(sys.argv[1], 'rb').read())
degrees = int(sys.argv[3])
one, minus = 0x10000, (-0x10000) & 0xFFFFFFFF
matrices = {
    90: [0, one, 0, minus, 0, 0],
    180: [minus, 0, 0, 0, minus, 0],
    270: [0, minus, 0, one, 0, 0],
}
start = data.find(b'tkhd') - 4
if data[start + 8] != 0:
    raise SystemExit('tkhd version 0 expected')
matrix = start + 8 + 4 + 4 + 4 + 4 + 4 + 4 + 8 + 2 + 2 + 2 + 2
data[matrix:matrix + 36] = struct.pack('>9I', *matrices[degrees], 0, 0, 0x40000000)
open(sys.argv[2], 'wb').write(data)
