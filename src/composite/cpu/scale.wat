;; Bilinear crop-and-scale of one 8-bit plane with WebAssembly SIMD: the CPU compositor's hot loop.
;; JavaScript (wasm-scaler.ts) lays out the source plane, the output frame, an intermediate and two tables in this
;; memory; the sampling positions and weights are computed there, once per plane and frame, with the
;; same texel-centre arithmetic as scale.ts and the WGSL shader.
;;
;; Two orders, picked per plane by wasm-scaler.ts (horizontalFirst), whichever touches fewer samples:
;; - scalePlane (crops shrunk both ways): per output row, blend the two source rows it falls between
;;   (vertical pass, 16 samples per step, only the columns the crop uses) into a scratch row; then
;;   gather 8 output samples at a time from that row with one byte shuffle and blend horizontally.
;; - scaleColumns then blendRows (crops enlarged, the usual case for a face panel): the
;;   horizontal pass, the costlier one, runs once per source row used instead of once per output row,
;;   into an intermediate of output width; output rows then blend two intermediate rows.
;; Weights are 8-bit (0..256): a*(256-w)+b*w+128 is at most 65408, so every sum fits in an unsigned
;; 16-bit lane. The blends are written out in each function rather than called: as calls, a frame
;; took 2.1 ms instead of 0.7-0.9 (Node 20's V8 did not inline them).
(module
  (memory (export "memory") 1)

  (func (export "scalePlane")
    (param $rows i32) (param $count i32) (param $span i32) (param $scratch i32)
    (param $groups i32) (param $groupCount i32)
    (local $row i32) (local $rowsEnd i32) (local $a i32) (local $b i32) (local $out i32)
    (local $i i32) (local $g i32) (local $groupsEnd i32)
    (local $wa v128) (local $wb v128) (local $va v128) (local $vb v128) (local $pair v128)
    (local $half v128)
    (local.set $half (i16x8.splat (i32.const 128)))
    (local.set $rowsEnd (i32.add (local.get $rows) (i32.shl (local.get $count) (i32.const 4))))
    (local.set $groupsEnd (i32.add (local.get $groups) (i32.shl (local.get $groupCount) (i32.const 6))))
    (local.set $row (local.get $rows))
    (block $rowsDone
      (loop $nextRow
        (br_if $rowsDone (i32.ge_u (local.get $row) (local.get $rowsEnd)))
        (local.set $a (i32.load offset=0 (local.get $row)))
        (local.set $b (i32.load offset=4 (local.get $row)))
        (local.set $wb (i16x8.splat (i32.load offset=8 (local.get $row))))
        (local.set $wa (i16x8.splat (i32.sub (i32.const 256) (i32.load offset=8 (local.get $row)))))
        (local.set $out (i32.load offset=12 (local.get $row)))

        ;; Vertical pass into the scratch row.
        (local.set $i (i32.const 0))
        (block $blendDone
          (loop $blend
            (br_if $blendDone (i32.ge_s (local.get $i) (local.get $span)))
            (v128.store (i32.add (local.get $scratch) (local.get $i))
              (i8x16.narrow_i16x8_u
                (i16x8.shr_u
                  (i16x8.add
                    (i16x8.add
                      (i16x8.mul (i16x8.extend_low_i8x16_u (local.tee $va (v128.load (i32.add (local.get $a) (local.get $i))))) (local.get $wa))
                      (i16x8.mul (i16x8.extend_low_i8x16_u (local.tee $vb (v128.load (i32.add (local.get $b) (local.get $i))))) (local.get $wb)))
                    (local.get $half))
                  (i32.const 8))
                (i16x8.shr_u
                  (i16x8.add
                    (i16x8.add
                      (i16x8.mul (i16x8.extend_high_i8x16_u (local.get $va)) (local.get $wa))
                      (i16x8.mul (i16x8.extend_high_i8x16_u (local.get $vb)) (local.get $wb)))
                    (local.get $half))
                  (i32.const 8))))
            (local.set $i (i32.add (local.get $i) (i32.const 16)))
            (br $blend)))

        ;; Horizontal pass: 8 output samples per group.
        (local.set $g (local.get $groups))
        (block $groupsDone
          (loop $group
            (br_if $groupsDone (i32.ge_u (local.get $g) (local.get $groupsEnd)))
            (local.set $pair
              (i8x16.swizzle
                (v128.load (i32.add (local.get $scratch) (i32.load offset=48 (local.get $g))))
                (v128.load offset=0 (local.get $g))))
            (v128.store64_lane 0
              (i32.add (local.get $out) (i32.load offset=52 (local.get $g)))
              (i8x16.narrow_i16x8_u
                (i16x8.shr_u
                  (i16x8.add
                    (i16x8.add
                      (i16x8.mul (i16x8.extend_low_i8x16_u (local.get $pair)) (v128.load offset=16 (local.get $g)))
                      (i16x8.mul (i16x8.extend_high_i8x16_u (local.get $pair)) (v128.load offset=32 (local.get $g))))
                    (local.get $half))
                  (i32.const 8))
                (v128.const i32x4 0 0 0 0)))
            (local.set $g (i32.add (local.get $g) (i32.const 64)))
            (br $group)))

        (local.set $row (i32.add (local.get $row) (i32.const 16)))
        (br $nextRow))))
  ;; Horizontal pass alone: for each of $count source rows (a table of i32 addresses, already at the
  ;; first column used), the group records' 8 samples each into row r of the intermediate at
  ;; $into + r * $width (records' output offsets are relative to the row's start).
  (func (export "scaleColumns")
    (param $rows i32) (param $count i32) (param $into i32) (param $width i32)
    (param $groups i32) (param $groupCount i32)
    (local $row i32) (local $rowsEnd i32) (local $from i32) (local $to i32) (local $g i32) (local $groupsEnd i32)
    (local $pair v128) (local $half v128)
    (local.set $half (i16x8.splat (i32.const 128)))
    (local.set $rowsEnd (i32.add (local.get $rows) (i32.shl (local.get $count) (i32.const 2))))
    (local.set $groupsEnd (i32.add (local.get $groups) (i32.shl (local.get $groupCount) (i32.const 6))))
    (local.set $row (local.get $rows))
    (local.set $to (local.get $into))
    (block $rowsDone
      (loop $nextRow
        (br_if $rowsDone (i32.ge_u (local.get $row) (local.get $rowsEnd)))
        (local.set $from (i32.load (local.get $row)))
        (local.set $g (local.get $groups))
        (block $groupsDone
          (loop $group
            (br_if $groupsDone (i32.ge_u (local.get $g) (local.get $groupsEnd)))
            (local.set $pair
              (i8x16.swizzle
                (v128.load (i32.add (local.get $from) (i32.load offset=48 (local.get $g))))
                (v128.load offset=0 (local.get $g))))
            (v128.store64_lane 0
              (i32.add (local.get $to) (i32.load offset=52 (local.get $g)))
              (i8x16.narrow_i16x8_u
                (i16x8.shr_u
                  (i16x8.add
                    (i16x8.add
                      (i16x8.mul (i16x8.extend_low_i8x16_u (local.get $pair)) (v128.load offset=16 (local.get $g)))
                      (i16x8.mul (i16x8.extend_high_i8x16_u (local.get $pair)) (v128.load offset=32 (local.get $g))))
                    (local.get $half))
                  (i32.const 8))
                (v128.const i32x4 0 0 0 0)))
            (local.set $g (i32.add (local.get $g) (i32.const 64)))
            (br $group)))
        (local.set $to (i32.add (local.get $to) (local.get $width)))
        (local.set $row (i32.add (local.get $row) (i32.const 4)))
        (br $nextRow))))

  ;; Vertical pass alone: row records as scalePlane's (first row, second row, weight of the second,
  ;; output row; here the rows are intermediate rows), $width (>= 16) samples each. The last 16
  ;; samples are written by a step that ends exactly at the panel's edge (overlapping the one before,
  ;; with the same values), so nothing is written past it.
  (func (export "blendRows") (param $rows i32) (param $count i32) (param $width i32)
    (local $row i32) (local $rowsEnd i32) (local $a i32) (local $b i32) (local $out i32)
    (local $i i32) (local $last i32) (local $wa v128) (local $wb v128) (local $va v128) (local $vb v128)
    (local $half v128)
    (local.set $half (i16x8.splat (i32.const 128)))
    (local.set $rowsEnd (i32.add (local.get $rows) (i32.shl (local.get $count) (i32.const 4))))
    (local.set $last (i32.sub (local.get $width) (i32.const 16)))
    (local.set $row (local.get $rows))
    (block $rowsDone
      (loop $nextRow
        (br_if $rowsDone (i32.ge_u (local.get $row) (local.get $rowsEnd)))
        (local.set $a (i32.load offset=0 (local.get $row)))
        (local.set $b (i32.load offset=4 (local.get $row)))
        (local.set $wb (i16x8.splat (i32.load offset=8 (local.get $row))))
        (local.set $wa (i16x8.splat (i32.sub (i32.const 256) (i32.load offset=8 (local.get $row)))))
        (local.set $out (i32.load offset=12 (local.get $row)))
        (local.set $i (i32.const 0))
        (block $done
          (loop $step
            (br_if $done (i32.ge_s (local.get $i) (local.get $last)))
            (v128.store (i32.add (local.get $out) (local.get $i))
              (i8x16.narrow_i16x8_u
                (i16x8.shr_u
                  (i16x8.add
                    (i16x8.add
                      (i16x8.mul (i16x8.extend_low_i8x16_u (local.tee $va (v128.load (i32.add (local.get $a) (local.get $i))))) (local.get $wa))
                      (i16x8.mul (i16x8.extend_low_i8x16_u (local.tee $vb (v128.load (i32.add (local.get $b) (local.get $i))))) (local.get $wb)))
                    (local.get $half))
                  (i32.const 8))
                (i16x8.shr_u
                  (i16x8.add
                    (i16x8.add
                      (i16x8.mul (i16x8.extend_high_i8x16_u (local.get $va)) (local.get $wa))
                      (i16x8.mul (i16x8.extend_high_i8x16_u (local.get $vb)) (local.get $wb)))
                    (local.get $half))
                  (i32.const 8))))
            (local.set $i (i32.add (local.get $i) (i32.const 16)))
            (br $step)))
        (v128.store (i32.add (local.get $out) (local.get $last))
          (i8x16.narrow_i16x8_u
                (i16x8.shr_u
                  (i16x8.add
                    (i16x8.add
                      (i16x8.mul (i16x8.extend_low_i8x16_u (local.tee $va (v128.load (i32.add (local.get $a) (local.get $last))))) (local.get $wa))
                      (i16x8.mul (i16x8.extend_low_i8x16_u (local.tee $vb (v128.load (i32.add (local.get $b) (local.get $last))))) (local.get $wb)))
                    (local.get $half))
                  (i32.const 8))
                (i16x8.shr_u
                  (i16x8.add
                    (i16x8.add
                      (i16x8.mul (i16x8.extend_high_i8x16_u (local.get $va)) (local.get $wa))
                      (i16x8.mul (i16x8.extend_high_i8x16_u (local.get $vb)) (local.get $wb)))
                    (local.get $half))
                  (i32.const 8))))
        (local.set $row (i32.add (local.get $row) (i32.const 16)))
        (br $nextRow))))
)
