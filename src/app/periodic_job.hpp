// A server job run in its own thread: once at start (unless told otherwise), then every
// `period` until stop(). A run that throws is logged and the next one comes as planned.
// The retention run and the statistics' monthly digest are such jobs.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace vg::app {

class PeriodicJob {
  public:
    PeriodicJob(std::string name, std::chrono::seconds period, std::function<void()> run,
                bool at_start = true)
        : name_(std::move(name)), period_(period), run_(std::move(run)), at_start_(at_start) {}
    ~PeriodicJob() { stop(); }
    PeriodicJob(const PeriodicJob&) = delete;
    PeriodicJob& operator=(const PeriodicJob&) = delete;
    void start();
    void stop();

  private:
    std::string name_;
    std::chrono::seconds period_;
    std::function<void()> run_;
    bool at_start_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace vg::app
