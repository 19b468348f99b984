#include "http/stream.hpp"

#include <utility>

namespace vg::http {

bool StreamChannel::write(std::string_view bytes) {
    std::function<void()> wake;
    {
        std::unique_lock lock(m_);
        if (!cancelled_ && pending_.size() >= limit_) {
            waiting_for_room_ = true;
            room_.wait(lock, [&] { return cancelled_ || pending_.size() < limit_; });
            waiting_for_room_ = false;
        }
        if (cancelled_) return false;
        pending_.append(bytes);
        if (pending_.size() >= chunk_) wake = std::exchange(wake_, nullptr);
    }
    if (wake) wake();
    return true;
}

void StreamChannel::finish() {
    std::function<void()> wake;
    {
        std::lock_guard lock(m_);
        finished_ = true;
        wake = std::move(wake_);
        wake_ = nullptr;
    }
    if (wake) wake();
}

void StreamChannel::fail(std::exception_ptr error) {
    std::function<void()> wake;
    {
        std::lock_guard lock(m_);
        error_ = std::move(error);
        wake = std::move(wake_);
        wake_ = nullptr;
    }
    if (wake) wake();
}

StreamChannel::State StreamChannel::take(std::string& out, std::function<void()> wake) {
    out.clear();
    {
        std::lock_guard lock(m_);
        if (error_) {
            pending_.clear();
            return State::failed;
        }
        if (pending_.size() >= chunk_ || (finished_ && !pending_.empty())) {
            out.swap(pending_);
            room_.notify_all();
            return State::data;
        }
        if (finished_) return State::finished;
        if (!cancelled_) {
            std::swap(wake_, wake);  // the old one, if any, is dropped outside the lock
        }
    }
    return State::waiting;
}

std::exception_ptr StreamChannel::error() const {
    std::lock_guard lock(m_);
    return error_;
}

void StreamChannel::cancel() {
    std::function<void()> wake;
    {
        std::lock_guard lock(m_);
        cancelled_ = true;
        pending_.clear();
        pending_.shrink_to_fit();
        wake = std::move(wake_);
        wake_ = nullptr;
    }
    room_.notify_all();
    // Dropped here, outside the lock: it may hold the last reference to the connection.
}

std::size_t StreamChannel::buffered() const {
    std::lock_guard lock(m_);
    return pending_.size();
}

bool StreamChannel::producer_waiting() const {
    std::lock_guard lock(m_);
    return waiting_for_room_;
}

}  // namespace vg::http
