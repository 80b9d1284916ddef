// Batches at scale: input lists, shards of a batch and their merge.
//
// A batch is split into N shards by a stable hash of each input's path as
// given (FNV-1a 64 of its bytes, modulo N), so which shard scores an input
// depends on nothing but its path and N: not on the order of the list, not
// on how many inputs there are, not on the machine. Every shard is given
// the whole list and keeps its own part; its output folder gets the usual
// reports and summary, named as the whole batch would name them, and last
// a completion marker (kShardMarker, written atomically). MergeShards puts
// the shards back together into the summary one unsharded run would have
// written.
//
// Thread-safe: no shared state.
#ifndef ACUITY_SHARD_H_
#define ACUITY_SHARD_H_

#include <cstdint>
#include <functional>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

#include "acuity/score.h"
#include "acuity/status.h"

namespace acuity {

// One path per line; blank lines and lines whose first non-blank character
// is '#' are skipped; a trailing '\r' (CRLF files) is dropped. Paths keep
// their spelling otherwise (leading and trailing spaces included).
std::vector<std::string> ReadInputList(std::istream& in);

// FNV-1a 64 of the bytes of `text` (offset basis 14695981039346656037,
// prime 1099511628211): the documented, stable hash shards are cut by.
uint64_t Fnv1a64(std::string_view text);

struct ShardSpec {
  int index = 0;  // 0 .. count-1
  int count = 1;
};
inline constexpr int kMaxShards = 1 << 20;

// "I/N" (0 <= I < N <= kMaxShards), or "auto/N" with I read from the
// environment: SLURM_ARRAY_TASK_ID (Slurm job arrays) or, when that is
// unset, JOB_COMPLETION_INDEX (Kubernetes Indexed Jobs). `getenv` is
// std::getenv in the CLI (tests pass their own). InvalidArgument with one
// line on anything else.
Result<ShardSpec> ParseShard(
    const std::string& text,
    const std::function<const char*(const char*)>& getenv);

// The shard `path` belongs to: Fnv1a64(path) % count.
int ShardOf(const std::string& path, int count);

// The inputs of shard `spec`, in batch order, each with the report stem it
// has in the whole batch (so no two shards write the same file name).
// `positions` gets each kept input's index in `all`.
std::vector<Input> SelectShard(const std::vector<Input>& all, ShardSpec spec,
                               std::vector<size_t>* positions);

// "fnv1a64:<16 hex>" over the paths of the whole batch, in order: shards
// that were given different lists cannot be merged.
std::string InputsHash(const std::vector<Input>& all);

// The completion marker in a shard's output folder.
inline constexpr const char* kShardMarker = "acuity-shard.json";

struct ShardMarker {
  ShardSpec shard;
  std::string tool_version;
  std::string options_hash;  // OptionsHash of the run
  std::string inputs_hash;   // InputsHash of the whole batch
  int64_t inputs_total = 0;  // inputs in the whole batch
  struct Row {
    int64_t index = 0;  // position in the whole batch
    std::string path;
    std::string stem;
    bool ok = false;          // scored (else an error row)
    bool has_report = false;  // NAME.acuity.json written
  };
  std::vector<Row> rows;  // this shard's inputs, in summary order
};

// Writes `dir`/kShardMarker atomically (the last file a shard writes).
Status WriteShardMarker(const std::string& dir, const ShardMarker& marker);
// Removes it (a shard run starts by doing so: an old marker must not
// vouch for a folder that is being rewritten).
void RemoveShardMarker(const std::string& dir);
Result<ShardMarker> LoadShardMarker(const std::string& dir);

struct MergeResult {
  int64_t rows = 0;
  int64_t failed = 0;  // error rows
};

// Checks the shard folders (a marker in each; one shard count, options
// hash and input list; every shard present exactly once) and writes into
// `out_dir` (created if missing) the reports of every shard, linked or
// copied, then summary.csv and summary.jsonl: byte for byte what one
// unsharded `acuity score -o out_dir` of the same list would have written
// into an empty folder. Refusals are InvalidArgument with one line naming
// the folder; failures to write are kIo.
Result<MergeResult> MergeShards(const std::vector<std::string>& shard_dirs,
                                const std::string& out_dir);

}  // namespace acuity

#endif  // ACUITY_SHARD_H_
