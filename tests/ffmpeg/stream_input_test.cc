// Streams ("pipe:N"): a writer that pauses longer than the I/O time limit
// between pieces is slow, not stalled, and must not be cut off. Before the
// limit counted from the last byte that arrived, probing such a stream
// failed with "timed out" once the pause outlasted it.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>

#include "acuity/decoder.h"
#include "test_util.h"

namespace acuity {
namespace ffmpeg_stream_input_test {
namespace {

TEST(StreamInputTest, SlowWriterIsNotTimedOut) {
  // Y4M: 160x96 frames of 23 KB, each read by one demuxer call.
  const std::string clip = test::Generated(
      "pipe.y4m", "-f lavfi -i testsrc2=s=160x96:r=25:d=0.4 -pix_fmt yuv420p");
  ASSERT_FALSE(clip.empty());
  const std::string bytes = test::ReadFile(clip);
  ASSERT_GT(bytes.size(), 50000u);
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  std::thread writer([&] {
    // Two frames and a bit, in 4 KB pieces 80 ms apart: a frame arrives
    // over ~0.4 s, twice the limit, while bytes keep coming.
    ssize_t written = 0;
    for (size_t at = 0; at < 50000; at += 4096) {
      std::this_thread::sleep_for(std::chrono::milliseconds(80));
      written +=
          write(fds[1], bytes.data() + at, std::min<size_t>(4096, 50000 - at));
    }
    EXPECT_EQ(written, 50000);
    close(fds[1]);
  });
  DecoderOptions options;
  options.io_timeout = 0.2;
  options.threads = 1;
  auto opened = Decoder::Open("pipe:" + std::to_string(fds[0]), options);
  int frames = 0;
  Status error;
  if (opened.ok()) {
    Frame frame;
    while (true) {
      Result<bool> got = opened.value()->Next(&frame);
      if (!got.ok()) error = got.status();
      if (!got.ok() || !got.value()) break;
      ++frames;
    }
  }
  writer.join();
  close(fds[0]);
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  EXPECT_TRUE(error.ok()) << error.message();
  EXPECT_EQ(frames, 2);
  EXPECT_EQ(opened.value()->info().path, "pipe:" + std::to_string(fds[0]));
}

}  // namespace
}  // namespace ffmpeg_stream_input_test
}  // namespace acuity
