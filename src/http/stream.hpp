// The buffer between a streamed answer's producer (a thread of its own) and the connection
// that sends it (I/O threads): bounded, so the producer never runs ahead of the socket by more
// than `limit` bytes (docs/ARCHITECTURE.md "Streamed answers"). Framework-free (unit tests).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

#include "http/message.hpp"

namespace vg::http {

class StreamChannel final : public BodyWriter {
  public:
    // The producer waits while `limit` bytes wait to be sent; the connection takes them once
    // `chunk` are ready (or the body ended), so that chunks are not a line each.
    StreamChannel(std::size_t limit, std::size_t chunk) : limit_(limit), chunk_(chunk) {}

    // The producer's side (its thread).
    bool write(std::string_view bytes) override;
    void finish();                        // the producer returned
    void fail(std::exception_ptr error);  // the producer threw

    // The connection's side.
    enum class State { waiting, data, finished, failed };
    // data: the ready bytes moved into out (a chunk or more, or the last ones). finished: all
    // was taken. failed: the producer threw (error()); bytes not yet taken are dropped.
    // waiting: nothing to take yet; `wake` is called once (from the producer's thread, or from
    // cancel()) when there is.
    State take(std::string& out, std::function<void()> wake);
    std::exception_ptr error() const;
    // The client is gone, or the server stops: the producer's write returns false from now
    // on (the one waiting for room too), and a pending wake is dropped.
    void cancel();

    // For tests: bytes written and not yet taken; whether the producer waits for room.
    std::size_t buffered() const;
    bool producer_waiting() const;

  private:
    mutable std::mutex m_;
    std::condition_variable room_;
    std::size_t limit_;
    std::size_t chunk_;
    std::string pending_;
    bool finished_ = false;
    bool cancelled_ = false;
    bool waiting_for_room_ = false;
    std::exception_ptr error_;
    std::function<void()> wake_;
};

}  // namespace vg::http
