// Rows handed from the thread that reads them to one that consumes them, in a few reused
// batches: reading the store's cursor and computing the figures overlap on two cores
// instead of following each other (docs/PERFORMANCE.md, "statistics page").
#pragma once

#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace vg::stats {

template <class Row>
class Handoff {
  public:
    // `consume` runs on a thread of its own, for each row in the order pushed. `batch` rows
    // per batch, `batches` batches in all (the memory held: their rows, reused).
    explicit Handoff(std::function<void(const Row&)> consume, std::size_t batch = 512,
                     std::size_t batches = 4)
        : consume_(std::move(consume)), pool_(batches, std::vector<Row>(batch)) {
        for (std::size_t i = 0; i < pool_.size(); ++i) free_.push_back(i);
        current_ = take_free();
        worker_ = std::thread([this] { work(); });
    }

    Handoff(const Handoff&) = delete;
    Handoff& operator=(const Handoff&) = delete;

    // Stops the consumer (the rows not yet consumed are dropped) when finish() was not
    // called: the reader failed.
    ~Handoff() {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        changed_.notify_all();
        if (worker_.joinable()) worker_.join();
    }

    // Copies `row` into the current batch (assignment: the slot's strings keep their
    // capacity); hands the batch over when full. Throws what the consumer threw.
    void push(const Row& row) {
        pool_[current_][filled_++] = row;
        if (filled_ == pool_[current_].size()) hand_over();
    }

    // Hands the last rows over and waits until every row is consumed. Throws what the
    // consumer threw.
    void finish() {
        if (filled_ > 0) hand_over();
        {
            std::unique_lock lock(mutex_);
            done_ = true;
            changed_.notify_all();
            changed_.wait(lock, [this] { return (full_.empty() && !busy_) || error_; });
        }
        rethrow();
    }

  private:
    struct Full {
        std::size_t batch;
        std::size_t rows;
    };

    // Called with the mutex free: waits for a free batch.
    std::size_t take_free() {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [this] { return !free_.empty() || error_; });
        if (error_) return current_;
        auto b = free_.back();
        free_.pop_back();
        return b;
    }

    void hand_over() {
        {
            std::lock_guard lock(mutex_);
            full_.push_back({current_, filled_});
        }
        changed_.notify_all();
        filled_ = 0;
        current_ = take_free();
        rethrow();
    }

    void rethrow() {
        std::lock_guard lock(mutex_);
        if (error_) std::rethrow_exception(error_);
    }

    void work() {
        std::unique_lock lock(mutex_);
        for (;;) {
            changed_.wait(lock, [this] { return !full_.empty() || done_ || stopping_; });
            if (stopping_ || full_.empty()) return;  // full_ empty: done_, all consumed
            auto f = full_.front();
            full_.erase(full_.begin());
            busy_ = true;
            lock.unlock();
            try {
                for (std::size_t i = 0; i < f.rows; ++i) consume_(pool_[f.batch][i]);
            } catch (...) {
                lock.lock();
                error_ = std::current_exception();
                busy_ = false;
                changed_.notify_all();
                return;
            }
            lock.lock();
            busy_ = false;
            free_.push_back(f.batch);
            changed_.notify_all();
        }
    }

    std::function<void(const Row&)> consume_;
    std::vector<std::vector<Row>> pool_;
    // The reader's side only.
    std::size_t current_ = 0;
    std::size_t filled_ = 0;
    // Shared, under mutex_.
    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<std::size_t> free_;
    std::vector<Full> full_;  // in the order handed over
    bool done_ = false;       // finish() was called: no more batches
    bool stopping_ = false;   // the destructor: stop now
    bool busy_ = false;       // a batch is being consumed
    std::exception_ptr error_;
    std::thread worker_;
};

}  // namespace vg::stats
