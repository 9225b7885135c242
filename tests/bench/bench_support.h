// Small helpers shared by the benchmark programs.
//
//   Stopwatch watch;  ...;  double s = watch.Seconds();
//   double cpu = ThreadCpuSeconds();            // this thread's CPU time: steadier than wall
//                                                // time on a machine shared with other jobs
//   PeakMemory peak = ReadPeakMemory();          // kilobytes: getrusage and /proc VmHWM
//   double p95 = Percentile(latencies_ms, 0.95); // nearest-rank, on a copy
//   auto files = ListFiles("corpus/");            // regular files, recursive, sorted
//   auto bytes = ReadWholeFile(files.value()[0]);
//   RemoveSqliteFiles("/tmp/kb.sqlite");          // the file and its -wal, -shm, -journal
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "pipeline/status.h"

namespace coopkb {

class Stopwatch {
 public:
  Stopwatch() : start_(std::chrono::steady_clock::now()) {}
  double Seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }
  void Restart() { start_ = std::chrono::steady_clock::now(); }

 private:
  std::chrono::steady_clock::time_point start_;
};

double ThreadCpuSeconds();
double ProcessCpuSeconds();  // all threads, user + system

struct PeakMemory {
  int64_t maxrss_kb = 0;  // getrusage(RUSAGE_SELF).ru_maxrss
  int64_t hwm_kb = 0;     // VmHWM of /proc/self/status; 0 where there is no /proc
};
PeakMemory ReadPeakMemory();

// The nearest-rank percentile (q in [0, 1]) of `values`; 0 when empty.
double Percentile(std::vector<double> values, double q);

Result<std::vector<std::string>> ListFiles(const std::string& folder);
Result<std::string> ReadWholeFile(const std::string& path);

// Size of a SQLite database on disk, with its write-ahead log.
int64_t SqliteFileBytes(const std::string& path);
void RemoveSqliteFiles(const std::string& path);

// "412.3 MB" (decimal units, as MB/s are).
std::string Megabytes(int64_t bytes);

}  // namespace coopkb
