// PlaneView: a non-owning view of one image plane (luma or chroma).
//
// Ownership: a PlaneView never owns its pixels. A view over a decoded
// AVFrame is valid only while the decoder keeps that frame (through the
// decoder's next Next() call, see decoder.h); never store one beyond the
// metric call that received it. Views are trivially copyable and thread-safe to read.
#ifndef ACUITY_PLANE_H_
#define ACUITY_PLANE_H_

#include <cstddef>
#include <cstdint>

namespace acuity {

struct PlaneView {
  const uint8_t* data = nullptr;  // first byte of row 0
  ptrdiff_t stride = 0;  // bytes from one row to the next (>= row bytes)
  int width = 0;         // samples per row
  int height = 0;        // rows
  int bit_depth = 8;  // 8: one byte per sample; 9..16: uint16_t, native endian

  bool empty() const { return data == nullptr || width <= 0 || height <= 0; }
  int bytes_per_sample() const { return bit_depth > 8 ? 2 : 1; }
  const uint8_t* Row8(int y) const { return data + y * stride; }
  const uint16_t* Row16(int y) const {
    return reinterpret_cast<const uint16_t*>(data + y * stride);
  }
  // Sample value at (x, y) widened to 32 bits, whatever the depth.
  uint32_t At(int x, int y) const {
    return bit_depth > 8 ? Row16(y)[x] : Row8(y)[x];
  }
};

}  // namespace acuity

#endif  // ACUITY_PLANE_H_
