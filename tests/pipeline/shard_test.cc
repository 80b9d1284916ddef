// Input lists and shards (acuity/shard.h): the list format, the documented
// hash, shard specs from the command line and the environment, and that
// shards of 1..7 are disjoint, cover the batch, and do not depend on order
// or on the other inputs.
#include "acuity/shard.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace acuity {
namespace pipeline_shard_test {
namespace {

TEST(InputListTest, SkipsBlankLinesAndCommentsKeepsSpelling) {
  std::istringstream in(
      "a.mp4\n\n# a comment\n  # indented comment\n./b dir/c.mkv\r\n"
      "   \n d.mp4 \nno-newline.ts");
  EXPECT_EQ(ReadInputList(in),
            (std::vector<std::string>{"a.mp4", "./b dir/c.mkv", " d.mp4 ",
                                      "no-newline.ts"}));
}

TEST(ShardTest, HashIsFnv1a64) {
  // Published FNV-1a 64 test vectors (Fowler/Noll/Vo).
  EXPECT_EQ(Fnv1a64(""), 0xcbf29ce484222325ull);
  EXPECT_EQ(Fnv1a64("a"), 0xaf63dc4c8601ec8cull);
  EXPECT_EQ(Fnv1a64("foobar"), 0x85944171f73967e8ull);
  EXPECT_EQ(ShardOf("foobar", 7), static_cast<int>(0x85944171f73967e8ull % 7));
}

TEST(ShardTest, ParsesSpecsAndEnvironment) {
  std::map<std::string, std::string> env;
  auto get = [&](const char* name) -> const char* {
    auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  };
  auto ok = [&](const std::string& t) {
    Result<ShardSpec> r = ParseShard(t, get);
    EXPECT_TRUE(r.ok()) << t << ": " << r.status().message();
    return r.ok() ? std::make_pair(r->index, r->count) : std::make_pair(-1, -1);
  };
  EXPECT_EQ(ok("0/1"), std::make_pair(0, 1));
  EXPECT_EQ(ok("6/7"), std::make_pair(6, 7));
  for (const char* bad : {"7/7", "-1/3", "1/0", "1", "a/3", "1/3x", "/3", "1/",
                          "1/99999999999"}) {
    EXPECT_FALSE(ParseShard(bad, get).ok()) << bad;
  }
  Result<ShardSpec> none = ParseShard("auto/4", get);
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.status().message().find("SLURM_ARRAY_TASK_ID"),
            std::string::npos);
  env["JOB_COMPLETION_INDEX"] = "3";
  EXPECT_EQ(ok("auto/4"), std::make_pair(3, 4));
  env["SLURM_ARRAY_TASK_ID"] = "2";  // Slurm's comes first
  EXPECT_EQ(ok("auto/4"), std::make_pair(2, 4));
  env["SLURM_ARRAY_TASK_ID"] = "4";  // out of range: says where it came from
  Result<ShardSpec> out = ParseShard("auto/4", get);
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.status().message().find("SLURM_ARRAY_TASK_ID"),
            std::string::npos)
      << out.status().message();
}

std::vector<Input> Paths(int n) {
  std::vector<Input> v;
  for (int i = 0; i < n; ++i) {
    v.push_back(
        {"dir" + std::to_string(i % 3) + "/clip" + std::to_string(i) + ".mp4",
         Status::Ok(), ""});
  }
  return v;
}

TEST(ShardTest, ShardsAreDisjointCoverAndIgnoreOrderAndCount) {
  const std::vector<Input> all = Paths(50);
  std::vector<Input> reversed(all.rbegin(), all.rend());
  std::vector<Input> fewer(all.begin(), all.begin() + 20);
  for (int n = 1; n <= 7; ++n) {
    std::vector<int> owner(all.size(), -1);
    for (int i = 0; i < n; ++i) {
      std::vector<size_t> pos;
      const std::vector<Input> part = SelectShard(all, {i, n}, &pos);
      ASSERT_EQ(part.size(), pos.size());
      for (size_t k = 0; k < part.size(); ++k) {
        EXPECT_EQ(part[k].path, all[pos[k]].path);
        EXPECT_EQ(owner[pos[k]], -1) << "in two shards: " << part[k].path;
        owner[pos[k]] = i;
        if (k > 0) {
          EXPECT_LT(pos[k - 1], pos[k]);  // batch order kept
        }
      }
      // The same paths whatever the order or the rest of the list.
      std::set<std::string> a, b, c, d;
      for (const Input& in : part) a.insert(in.path);
      for (const Input& in : SelectShard(reversed, {i, n}, nullptr)) {
        b.insert(in.path);
      }
      for (const Input& in : SelectShard(fewer, {i, n}, nullptr)) {
        c.insert(in.path);
      }
      for (const Input& in : fewer) {
        if (a.count(in.path) > 0) d.insert(in.path);
      }
      EXPECT_EQ(a, b) << i << "/" << n;
      EXPECT_EQ(c, d) << i << "/" << n;
    }
    EXPECT_EQ(std::count(owner.begin(), owner.end(), -1), 0) << n;
    if (n > 1) {  // not everything in one shard
      EXPECT_GT(std::set<int>(owner.begin(), owner.end()).size(), 1u) << n;
    }
  }
}

TEST(ShardTest, StemsAreTheWholeBatchStems) {
  // Two "clip" files: the second is clip-2 in the batch, and keeps that
  // name in whichever shard it lands.
  const std::vector<Input> all = {{"a/clip.mp4", Status::Ok(), ""},
                                  {"b/clip.mp4", Status::Ok(), ""}};
  const std::vector<std::string> stems = ReportStems(all);
  ASSERT_EQ(stems, (std::vector<std::string>{"clip", "clip-2"}));
  for (int n = 1; n <= 4; ++n) {
    for (int i = 0; i < n; ++i) {
      std::vector<size_t> pos;
      for (const Input& in : SelectShard(all, {i, n}, &pos)) {
        EXPECT_EQ(in.stem, in.path[0] == 'a' ? "clip" : "clip-2");
      }
    }
  }
  EXPECT_EQ(ReportStems({{"-", Status::Ok(), ""}}),
            std::vector<std::string>{"stdin"});
}

}  // namespace
}  // namespace pipeline_shard_test
}  // namespace acuity
