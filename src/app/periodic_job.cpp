#include "app/periodic_job.hpp"

#include <spdlog/spdlog.h>

namespace vg::app {

void PeriodicJob::start() {
    thread_ = std::thread([this] {
        std::unique_lock lock(mutex_);
        bool first = true;
        while (!stopping_) {
            if (!first || at_start_) {
                lock.unlock();
                try {
                    run_();
                } catch (const std::exception& e) {
                    spdlog::error("{} run failed: {}", name_, e.what());
                }
                lock.lock();
            }
            first = false;
            wake_.wait_for(lock, period_, [this] { return stopping_; });
        }
    });
}

void PeriodicJob::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

}  // namespace vg::app
