// Splitting a batch of independent columns across the machine's cores.
#pragma once

#include <algorithm>
#include <functional>
#include <thread>
#include <vector>

#include "core/types.hpp"

namespace scorelab {

// Calls fn(begin, end) on disjoint column ranges covering [0, n), on up to hardware_concurrency()
// threads. Small batches run inline: a thread costs ~20 µs, worth it only past min_per_thread columns.
inline void parallel_for_columns(Eigen::Index n, const std::function<void(Eigen::Index, Eigen::Index)>& fn,
                                 Eigen::Index min_per_thread = 2048) {
  unsigned hw = std::max(1u, std::thread::hardware_concurrency());
  Eigen::Index parts = std::min<Eigen::Index>(hw, std::max<Eigen::Index>(1, n / min_per_thread));
  if (parts <= 1) {
    fn(0, n);
    return;
  }
  std::vector<std::thread> threads;
  Eigen::Index chunk = (n + parts - 1) / parts;
  for (Eigen::Index p = 1; p < parts; ++p) {
    Eigen::Index b = p * chunk, e = std::min(n, b + chunk);
    if (b < e) threads.emplace_back(fn, b, e);
  }
  fn(0, std::min(n, chunk));
  for (auto& t : threads) t.join();
}

}  // namespace scorelab
