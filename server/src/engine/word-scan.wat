;; Finds which trigger words occur in a text's UTF-8 bytes (`scan`), and the long runs of the
;; bytes a pin-like literal is made of (`runs`): the searches behind TriggerMatcher (triggers.ts).
;; Also makes the set of a text's trigrams (`trigrams`) that word-positions.ts searches with.
;; word-scanner.ts prepares this module's memory. Assembled into
;; word-scan-module.ts by `npm run wasm` (scripts/build-word-scan.mjs); a test checks the two agree.
;;
;; Teddy, the SIMD pre-filter of Hyperscan and of ripgrep's regex crate: each word has a
;; fingerprint, four of its bytes in a row (fewer for a shorter word), and the fingerprints are
;; spread over 8 buckets. For 16 bytes at a time, two table lookups per fingerprint position
;; (`i8x16.swizzle` on the low and the high half of each byte) give the buckets whose fingerprint
;; could have that byte there; the positions where all four agree are checked word by word. Each
;; bucket accepts every byte whose halves its tables hold, so a check can fail, but no occurrence
;; of a word is missed: its fingerprint is inside it. Measured on the bench's app shape (139 MB of
;; Dart, Swift and TS): 4.2 % of the 16-byte blocks hold a position to check, and the search takes
;; about 60 ms where the automaton in JavaScript it replaces took about 300 ms.
;;
;; Memory, as word-scanner.ts lays it out:
;;   0-127    the lookup tables: for fingerprint position p (0-3), the low halves' at 32p, the
;;            high halves' at 32p+16; byte k of a table has bit b when bucket b accepts k there.
;;   128-191  per bucket b, at 128+8b: its first word (an index) and its number of words.
;;   192-207  scratch: the buckets found at each of 16 positions.
;;   208-     the words, 16 bytes each: where its lower-case bytes are, its length, how far before
;;            its fingerprint's last byte it starts, and its groups (a bit mask); then their bytes.
;;   then, 16-aligned, the two tables of the bytes the long runs are made of (`runs`).
;; The text and the list of word occurrences, the runs, the trigram set or the offsets to
;; convert come after, where `scan`, `runs`, `trigrams` and `utf16_offsets` are told; at least 15
;; bytes of memory follow the text (a block is read whole; what lies past the text is not looked at).
(module
  (memory (export "memory") 1)

  ;; How many occurrences the last scan found of the words of the groups it was asked to list
  ;; (`ends_groups`), including those past `ends_cap` it had no room to write.
  (global $ends (export "ends") (mut i32) (i32.const 0))

  ;; The groups of the words of `buckets` (a bit per bucket) whose fingerprint ends at `at`.
  (func $check (param $at i32) (param $buckets i32) (param $text i32) (param $length i32)
      (param $ends_groups i32) (param $ends_at i32) (param $ends_cap i32) (result i32)
    (local $found i32) (local $bucket i32) (local $word i32) (local $last i32) (local $entry i32)
    (local $start i32) (local $word_length i32) (local $word_bytes i32) (local $k i32) (local $byte i32)
    (local $groups i32)
    (block $buckets_done
      (loop $each_bucket
        (br_if $buckets_done (i32.eqz (local.get $buckets)))
        (local.set $bucket (i32.shl (i32.ctz (local.get $buckets)) (i32.const 3)))
        (local.set $buckets (i32.and (local.get $buckets) (i32.sub (local.get $buckets) (i32.const 1))))
        (local.set $word (i32.load offset=128 (local.get $bucket)))
        (local.set $last (i32.add (local.get $word) (i32.load offset=132 (local.get $bucket))))
        (block $words_done
          (loop $each_word
            (br_if $words_done (i32.ge_u (local.get $word) (local.get $last)))
            (local.set $entry (i32.add (i32.const 208) (i32.shl (local.get $word) (i32.const 4))))
            (local.set $word (i32.add (local.get $word) (i32.const 1)))
            (local.set $word_bytes (i32.load (local.get $entry)))
            (local.set $word_length (i32.load offset=4 (local.get $entry)))
            (local.set $start (i32.sub (local.get $at) (i32.load offset=8 (local.get $entry))))
            ;; Only a word wholly inside the text.
            (br_if $each_word (i32.lt_s (local.get $start) (i32.const 0)))
            (br_if $each_word (i32.gt_s (i32.add (local.get $start) (local.get $word_length)) (local.get $length)))
            (local.set $k (i32.const 0))
            (block $mismatch
              (loop $each_byte
                (if (i32.lt_u (local.get $k) (local.get $word_length))
                  (then
                    (local.set $byte (i32.load8_u (i32.add (local.get $text) (i32.add (local.get $start) (local.get $k)))))
                    ;; A-Z as a-z: the words are lower case, and matched as /i does without /u.
                    (if (i32.lt_u (i32.sub (local.get $byte) (i32.const 65)) (i32.const 26))
                      (then (local.set $byte (i32.or (local.get $byte) (i32.const 32)))))
                    (br_if $mismatch (i32.ne (local.get $byte) (i32.load8_u (i32.add (local.get $word_bytes) (local.get $k)))))
                    (local.set $k (i32.add (local.get $k) (i32.const 1)))
                    (br $each_byte))))
              (local.set $groups (i32.load offset=12 (local.get $entry)))
              (local.set $found (i32.or (local.get $found) (local.get $groups)))
              (if (i32.and (local.get $groups) (local.get $ends_groups))
                (then
                  (if (i32.lt_u (global.get $ends) (local.get $ends_cap))
                    (then
                      (i32.store
                        (i32.add (local.get $ends_at) (i32.shl (global.get $ends) (i32.const 3)))
                        (local.get $start))
                      (i32.store offset=4
                        (i32.add (local.get $ends_at) (i32.shl (global.get $ends) (i32.const 3)))
                        (i32.add (local.get $start) (local.get $word_length)))))
                  (global.set $ends (i32.add (global.get $ends) (i32.const 1))))))
            (br $each_word)))
        (br $each_bucket)))
    (local.get $found))

  ;; The groups of the words in `length` bytes at `text`. It returns as soon as it has found a
  ;; group and every group of `wanted`; the occurrences of the words of `ends_groups` it writes at
  ;; `ends_at` (at most `ends_cap`, in no particular order, each its start and its end as two i32)
  ;; are then not all there.
  (func (export "scan") (param $text i32) (param $length i32) (param $wanted i32)
      (param $ends_groups i32) (param $ends_at i32) (param $ends_cap i32) (result i32)
    (local $i i32) (local $found i32) (local $lanes i32) (local $lane i32) (local $at i32)
    (local $low0 v128) (local $high0 v128) (local $low1 v128) (local $high1 v128)
    (local $low2 v128) (local $high2 v128) (local $low3 v128) (local $high3 v128)
    (local $block v128) (local $lows v128) (local $highs v128)
    (local $in0 v128) (local $in1 v128) (local $in2 v128) (local $in3 v128)
    (local $before0 v128) (local $before1 v128) (local $before2 v128) (local $hits v128)
    (global.set $ends (i32.const 0))
    (local.set $low0 (v128.load (i32.const 0)))
    (local.set $high0 (v128.load (i32.const 16)))
    (local.set $low1 (v128.load (i32.const 32)))
    (local.set $high1 (v128.load (i32.const 48)))
    (local.set $low2 (v128.load (i32.const 64)))
    (local.set $high2 (v128.load (i32.const 80)))
    (local.set $low3 (v128.load (i32.const 96)))
    (local.set $high3 (v128.load (i32.const 112)))
    ;; Before the text, every bucket: a fingerprint that would start there is checked, and its
    ;; word found outside the text is no word.
    (local.set $before0 (v128.const i8x16 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1))
    (local.set $before1 (local.get $before0))
    (local.set $before2 (local.get $before0))
    (block $done
      (loop $each_block
        (br_if $done (i32.ge_u (local.get $i) (local.get $length)))
        (local.set $block (v128.load (i32.add (local.get $text) (local.get $i))))
        (local.set $lows (v128.and (local.get $block) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)))
        (local.set $highs (i8x16.shr_u (local.get $block) (i32.const 4)))
        ;; in<p>, byte j: the buckets whose fingerprint can have byte j of the block at position p.
        (local.set $in0 (v128.and (i8x16.swizzle (local.get $low0) (local.get $lows)) (i8x16.swizzle (local.get $high0) (local.get $highs))))
        (local.set $in1 (v128.and (i8x16.swizzle (local.get $low1) (local.get $lows)) (i8x16.swizzle (local.get $high1) (local.get $highs))))
        (local.set $in2 (v128.and (i8x16.swizzle (local.get $low2) (local.get $lows)) (i8x16.swizzle (local.get $high2) (local.get $highs))))
        (local.set $in3 (v128.and (i8x16.swizzle (local.get $low3) (local.get $lows)) (i8x16.swizzle (local.get $high3) (local.get $highs))))
        ;; A fingerprint ends at byte j when byte j - 3 + p can be at position p, for each p:
        ;; positions 0-2 are read 3-1 bytes back, into the block before.
        (local.set $hits
          (v128.and (local.get $in3)
            (v128.and
              (i8x16.shuffle 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 (local.get $before2) (local.get $in2))
              (v128.and
                (i8x16.shuffle 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 (local.get $before1) (local.get $in1))
                (i8x16.shuffle 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 (local.get $before0) (local.get $in0))))))
        (local.set $before0 (local.get $in0))
        (local.set $before1 (local.get $in1))
        (local.set $before2 (local.get $in2))
        (if (v128.any_true (local.get $hits))
          (then
            (v128.store (i32.const 192) (local.get $hits))
            (local.set $lanes (i8x16.bitmask (i8x16.ne (local.get $hits) (v128.const i8x16 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0))))
            (loop $each_lane
              (local.set $lane (i32.ctz (local.get $lanes)))
              (local.set $lanes (i32.and (local.get $lanes) (i32.sub (local.get $lanes) (i32.const 1))))
              (local.set $at (i32.add (local.get $i) (local.get $lane)))
              (if (i32.lt_u (local.get $at) (local.get $length))
                (then
                  (local.set $found
                    (i32.or (local.get $found)
                      (call $check (local.get $at) (i32.load8_u offset=192 (local.get $lane)) (local.get $text) (local.get $length)
                        (local.get $ends_groups) (local.get $ends_at) (local.get $ends_cap))))
                  (if (i32.and
                        (i32.ne (local.get $found) (i32.const 0))
                        (i32.eq (i32.and (local.get $found) (local.get $wanted)) (local.get $wanted)))
                    (then (return (local.get $found))))))
              (br_if $each_lane (local.get $lanes)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $each_block)))
    (local.get $found))

  ;; Whether `byte` is one the long runs are made of (`runs`).
  (func $in_run (param $byte i32) (param $table i32) (param $non_ascii i32) (result i32)
    (i32.or
      (i32.and
        (i32.load8_u (i32.add (local.get $table) (i32.and (local.get $byte) (i32.const 15))))
        (i32.load8_u offset=16 (i32.add (local.get $table) (i32.shr_u (local.get $byte) (i32.const 4)))))
      (i32.and (local.get $non_ascii) (i32.ge_u (local.get $byte) (i32.const 128)))))

  ;; The maximal runs of at least `min_run` bytes of the text that its run tables take, as
  ;; [start, end) pairs of i32 at `runs_at` (at most `runs_cap` pairs); returns how many. The tables
  ;; at `table`: byte l of the first has bit h when the byte 16h + l is taken (h < 8), the second
  ;; has 1 << h at h; `non_ascii` 1 takes every byte from 128. A run of 31 bytes or more holds a
  ;; whole 16-byte block (`min_run` must be 31 or more): only around those blocks are bytes read
  ;; one by one, to find where the run starts and ends.
  (func (export "runs") (param $text i32) (param $length i32) (param $table i32) (param $non_ascii i32)
      (param $min_run i32) (param $runs_at i32) (param $runs_cap i32) (result i32)
    (local $i i32) (local $count i32) (local $start i32) (local $end i32)
    (local $low v128) (local $high v128) (local $above v128) (local $block v128)
    (local.set $low (v128.load (local.get $table)))
    (local.set $high (v128.load offset=16 (local.get $table)))
    (local.set $above (i8x16.splat (i32.sub (i32.const 0) (local.get $non_ascii))))
    (block $done
      (loop $each_block
        (br_if $done (i32.gt_u (i32.add (local.get $i) (i32.const 16)) (local.get $length)))
        (local.set $block (v128.load (i32.add (local.get $text) (local.get $i))))
        (if (i8x16.all_true
              (v128.or
                (v128.and
                  (i8x16.swizzle (local.get $low) (v128.and (local.get $block) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)))
                  (i8x16.swizzle (local.get $high) (i8x16.shr_u (local.get $block) (i32.const 4))))
                (v128.and (i8x16.lt_s (local.get $block) (v128.const i8x16 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0)) (local.get $above))))
          (then
            (local.set $start (local.get $i))
            (block $start_found
              (loop $back
                (br_if $start_found (i32.eqz (local.get $start)))
                (br_if $start_found (i32.eqz (call $in_run
                  (i32.load8_u (i32.add (local.get $text) (i32.sub (local.get $start) (i32.const 1)))) (local.get $table) (local.get $non_ascii))))
                (local.set $start (i32.sub (local.get $start) (i32.const 1)))
                (br $back)))
            (local.set $end (i32.add (local.get $i) (i32.const 16)))
            (block $end_found
              (loop $forward
                (br_if $end_found (i32.ge_u (local.get $end) (local.get $length)))
                (br_if $end_found (i32.eqz (call $in_run
                  (i32.load8_u (i32.add (local.get $text) (local.get $end))) (local.get $table) (local.get $non_ascii))))
                (local.set $end (i32.add (local.get $end) (i32.const 1)))
                (br $forward)))
            (if (i32.ge_u (i32.sub (local.get $end) (local.get $start)) (local.get $min_run))
              (then
                (if (i32.lt_u (local.get $count) (local.get $runs_cap))
                  (then
                    (i32.store (i32.add (local.get $runs_at) (i32.shl (local.get $count) (i32.const 3))) (local.get $start))
                    (i32.store offset=4 (i32.add (local.get $runs_at) (i32.shl (local.get $count) (i32.const 3))) (local.get $end))))
                (local.set $count (i32.add (local.get $count) (i32.const 1)))))
            ;; The block that holds `end` holds a byte of no run: the next run is in a block after it.
            (local.set $i (i32.shl (i32.add (i32.shr_u (local.get $end) (i32.const 4)) (i32.const 1)) (i32.const 4))))
          (else (local.set $i (i32.add (local.get $i) (i32.const 16)))))
        (br $each_block)))
    (local.get $count))

  ;; Sets the bit of each trigram (three bytes in a row) of the text in the 65,536-bit set at
  ;; `set` (2,048 i32, zeroed by the caller): the hash of word-positions.ts's `Trigrams`
  ;; (Fibonacci hashing of the three bytes, the top 16 bits), bit h at bit h % 32 of i32 h / 32.
  (func (export "trigrams") (param $text i32) (param $length i32) (param $set i32)
    (local $i i32) (local $window i32) (local $h i32) (local $word i32)
    (block $done
      (loop $each_byte
        (br_if $done (i32.ge_u (local.get $i) (local.get $length)))
        (local.set $window (i32.and
          (i32.or (i32.shl (local.get $window) (i32.const 8)) (i32.load8_u (i32.add (local.get $text) (local.get $i))))
          (i32.const 0xffffff)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $each_byte (i32.lt_u (local.get $i) (i32.const 3)))
        (local.set $h (i32.shr_u (i32.mul (local.get $window) (i32.const 0x9e3779b1)) (i32.const 16)))
        (local.set $word (i32.add (local.get $set) (i32.shl (i32.shr_u (local.get $h) (i32.const 5)) (i32.const 2))))
        (i32.store (local.get $word)
          (i32.or (i32.load (local.get $word)) (i32.shl (i32.const 1) (i32.and (local.get $h) (i32.const 31)))))
        (br $each_byte))))

  ;; Rewrites `count` ascending byte offsets of the text (i32 at `offsets_at`, each at the start of
  ;; a character or at the text's end) into offsets in UTF-16 units: each byte that starts a
  ;; character is a unit, and one of four bytes (past the Basic Multilingual Plane) is two.
  (func (export "utf16_offsets") (param $text i32) (param $offsets_at i32) (param $count i32)
    (local $i i32) (local $units i32) (local $k i32) (local $at i32) (local $byte i32) (local $block v128)
    (block $done
      (loop $each_offset
        (br_if $done (i32.ge_u (local.get $k) (local.get $count)))
        (local.set $at (i32.load (i32.add (local.get $offsets_at) (i32.shl (local.get $k) (i32.const 2)))))
        ;; 16 bytes at a time while they all come before the offset.
        (block $blocks_done
          (loop $each_block
            (br_if $blocks_done (i32.gt_u (i32.add (local.get $i) (i32.const 16)) (local.get $at)))
            (local.set $block (v128.load (i32.add (local.get $text) (local.get $i))))
            (local.set $units (i32.add (local.get $units)
              (i32.add
                (i32.sub (i32.const 16) (i32.popcnt (i8x16.bitmask (i8x16.eq
                  (v128.and (local.get $block) (v128.const i8x16 0xc0 0xc0 0xc0 0xc0 0xc0 0xc0 0xc0 0xc0 0xc0 0xc0 0xc0 0xc0 0xc0 0xc0 0xc0 0xc0))
                  (v128.const i8x16 0x80 0x80 0x80 0x80 0x80 0x80 0x80 0x80 0x80 0x80 0x80 0x80 0x80 0x80 0x80 0x80)))))
                (i32.popcnt (i8x16.bitmask (i8x16.ge_u (local.get $block)
                  (v128.const i8x16 0xf0 0xf0 0xf0 0xf0 0xf0 0xf0 0xf0 0xf0 0xf0 0xf0 0xf0 0xf0 0xf0 0xf0 0xf0 0xf0)))))))
            (local.set $i (i32.add (local.get $i) (i32.const 16)))
            (br $each_block)))
        (block $reached
          (loop $each_byte
            (br_if $reached (i32.ge_u (local.get $i) (local.get $at)))
            (local.set $byte (i32.load8_u (i32.add (local.get $text) (local.get $i))))
            (local.set $units (i32.add (local.get $units)
              (i32.add
                (i32.ne (i32.and (local.get $byte) (i32.const 0xc0)) (i32.const 0x80))
                (i32.ge_u (local.get $byte) (i32.const 0xf0)))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $each_byte)))
        (i32.store (i32.add (local.get $offsets_at) (i32.shl (local.get $k) (i32.const 2))) (local.get $units))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $each_offset))))
)
