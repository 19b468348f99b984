#include "app/first_slot_sampler.hpp"

#include <spdlog/spdlog.h>

#include "core/timefmt.hpp"

namespace vg::app {

int FirstSlotSampler::sample_due() {
    const auto now = booking_.clock().now();
    std::vector<store::Organisation> orgs;
    booking_.store().read([&](store::Session& s) { orgs = s.organisations(); });
    int recorded = 0;
    for (auto& o : orgs) {
        auto org = booking_.organisation(o.slug);
        if (!org) continue;
        // Today in the organisation's zone: the booking page's first day.
        auto today = core::local_day_of(now, org->default_zone());
        std::vector<store::FirstSlotSample> have;
        booking_.store().read(
            [&](store::Session& s) { have = s.first_slot_samples(org->org.id, today, today); });
        for (auto& m : org->motifs) {
            if (!m.is_public) continue;
            for (auto ch : {core::Channel::video, core::Channel::on_site, core::Channel::phone}) {
                if ((m.rules.channels & core::channel_bit(ch)) == 0) continue;
                bool done = false;
                for (auto& h : have) done = done || (h.motif_id == m.id && h.channel == ch);
                if (done) continue;
                store::FirstSlotSample x{m.id, ch, today, std::nullopt};
                if (auto slot = booking_.first_slot(*org, {m.id, ch, std::nullopt, today, today}))
                    x.days = int(core::local_day_of(slot->start, slot->zone) - today);
                booking_.store().write([&](store::Session& s) {
                    recorded += s.add_first_slot_sample(org->org.id, x) ? 1 : 0;
                });
            }
        }
    }
    if (recorded > 0) spdlog::info("statistics: {} first-slot samples recorded", recorded);
    return recorded;
}

}  // namespace vg::app
