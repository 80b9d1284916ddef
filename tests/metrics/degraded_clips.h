// Small generated clips for the texture and blocking tests: one content,
// optionally Gaussian-blurred, then clean (lossless FFV1), with temporal
// grain, or coded as MPEG-2 / MJPEG at a given quantiser. Generated once
// per build tree by ffmpeg (test::Generated) and shared between tests by
// name.
#ifndef ACUITY_TESTS_METRICS_DEGRADED_CLIPS_H_
#define ACUITY_TESTS_METRICS_DEGRADED_CLIPS_H_

#include <string>

#include "test_util.h"

namespace acuity::test {

enum class Content { kTestsrc2, kBaboon };
enum class Coding { kClean, kMpeg2, kMjpeg };

inline std::string ContentName(Content c) {
  return c == Content::kTestsrc2 ? "testsrc2" : "baboon";
}

// 640x360, 2 frames. `blur`: gblur sigma (0: none); `grain`: strength of
// noise=alls=N:allf=t (0: none); `q`: -q:v for MPEG-2 and MJPEG.
inline std::string DegradedClip(Content content, int blur, int grain,
                                Coding coding, int q = 0) {
  std::string input =
      content == Content::kTestsrc2
          ? "-f lavfi -i testsrc2=s=640x360:r=25 "
          : "-loop 1 -framerate 25 -i "
            "/usr/share/doc/opencv-doc/examples/data/baboon.jpg ";
  std::string vf = "scale=640:360:flags=area,format=yuv420p";
  if (blur > 0) vf += ",gblur=sigma=" + std::to_string(blur);
  if (grain > 0) vf += ",noise=alls=" + std::to_string(grain) + ":allf=t";
  std::string name = "degraded_" + ContentName(content) + "_b" +
                     std::to_string(blur) + "_n" + std::to_string(grain);
  std::string codec;
  switch (coding) {
    case Coding::kClean:
      name += ".mkv";
      codec = "-c:v ffv1";
      break;
    case Coding::kMpeg2:
      name += "_mpeg2q" + std::to_string(q) + ".mpg";
      codec = "-c:v mpeg2video -q:v " + std::to_string(q);
      break;
    case Coding::kMjpeg:
      name += "_mjpegq" + std::to_string(q) + ".avi";
      vf += ",format=yuvj420p";
      codec = "-c:v mjpeg -q:v " + std::to_string(q);
      break;
  }
  return Generated(name, input + "-vf " + vf + " -frames:v 2 " + codec);
}

}  // namespace acuity::test

#endif  // ACUITY_TESTS_METRICS_DEGRADED_CLIPS_H_
