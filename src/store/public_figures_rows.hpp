// The public figures page (issue 14, seed 004's "chiffres du mois"): what the administrators
// choose to publish at /{org}/chiffres and the processing delays they type each week
// (migration 21).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/types.hpp"
#include "store/model.hpp"

namespace vg::store {

// Which figures of the last complete month the organisation publishes, and whether it
// publishes its processing delays. No row: nothing published.
struct FigureChoice {
    bool held = false;          // appointments held
    bool video_share = false;   // share of them held by video
    bool median_delay = false;  // median delay to get an appointment
    bool satisfaction = false;  // satisfaction (average, share satisfied, answers)
    bool delays = false;        // the processing delays of the latest week
    std::string updated_by;
    Instant updated_at = 0;
    bool any_figure() const { return held || video_share || median_delay || satisfaction; }
};

// "We are handling <label> received between <from> and <to>".
struct DelayLine {
    LocalText label;  // French required, other languages fall back to it
    core::LocalDay from = 0;
    core::LocalDay to = 0;
};

// The processing delays the agency typed for one week (its Monday, organisation's zone).
struct DelayWeek {
    Id organisation_id = 0;
    core::LocalDay week = 0;
    std::vector<DelayLine> lines;  // in the order typed
    std::string created_by;
    Instant created_at = 0;  // when this week's lines were last written
};

}  // namespace vg::store
