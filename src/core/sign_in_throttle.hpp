// Growing delays, then a temporary lock, after failed sign-ins (pure; the store keeps the
// counts so that they survive a restart). One policy per kind of subject: an e-mail address
// (whether or not an account has it, so that the answers do not tell) and a client address
// (a whole office may share one, hence its larger allowance).
#pragma once

#include "core/types.hpp"

namespace vg::core {

struct ThrottlePolicy {
    int free_failures = 3;         // failures answered without delay
    int lock_after = 10;           // failures that lock
    Instant lock_seconds = 900;    // how long a lock lasts
    Instant max_delay = 60;        // delays double from 1 s up to this
    Instant forget_after = 86400;  // failures older than this are forgotten
};

struct ThrottleState {
    int failures = 0;
    Instant last_failure_at = 0;
    Instant blocked_until = 0;  // attempts before this are refused unheard
};

// State after one more failure at now; locked is set when this failure locks the subject.
struct ThrottleStep {
    ThrottleState state;
    bool locked = false;
};
ThrottleStep record_failure(const ThrottlePolicy& p, ThrottleState s, Instant now);

// True when an attempt at now must be refused without checking the password.
inline bool is_blocked(const ThrottleState& s, Instant now) {
    return now < s.blocked_until;
}

}  // namespace vg::core
