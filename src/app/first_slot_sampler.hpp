// Time to the first free slot per motif and channel, sampled daily (issue 14,
// docs/STATISTICS.md): for each organisation, each public motif and each channel it offers,
// the days from the organisation's today to the first free slot, as a citizen's booking page
// would find it (BookingService::first_slot). One sample per day (table first_slot_samples,
// migration 24): a second run the same day, a restart or a second server adds nothing.
#pragma once

#include "app/booking_service.hpp"

namespace vg::app {

class FirstSlotSampler {
  public:
    explicit FirstSlotSampler(BookingService& booking) : booking_(booking) {}
    // Samples what is due at the service's clock: today's samples not taken yet. Returns how
    // many were recorded.
    int sample_due();

  private:
    BookingService& booking_;
};

}  // namespace vg::app
