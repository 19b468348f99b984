// Time to the first free slot per motif and channel, sampled daily (issue 14,
// docs/STATISTICS.md): the sampler on a ManualClock (one sample a day, idempotent) and the
// figure computed by hand.
#include <gtest/gtest.h>

#include "app/first_slot_sampler.hpp"
#include "core/timefmt.hpp"
#include "demo_fixture.hpp"
#include "stats/export.hpp"
#include "stats/figures.hpp"
#include "stats/report.hpp"

using namespace vg;

namespace {

class FirstSlotSampler : public unit::DemoFixture {
  protected:
    std::vector<store::FirstSlotSample> samples(core::LocalDay first, core::LocalDay last) {
        std::vector<store::FirstSlotSample> out;
        db->read([&](store::Session& s) { out = s.first_slot_samples(org.org.id, first, last); });
        return out;
    }
    // What the sampler should record: one sample per public motif and channel it offers.
    int expected() const {
        int n = 0;
        for (auto& m : org.motifs)
            if (m.is_public)
                for (auto ch : {core::Channel::video, core::Channel::on_site, core::Channel::phone})
                    n += (m.rules.channels & core::channel_bit(ch)) != 0;
        return n;
    }
};

TEST_F(FirstSlotSampler, OneSampleADayPerMotifAndChannel) {
    app::FirstSlotSampler sampler(*service);
    auto today = core::local_day_of(clock->now(), org.default_zone());
    ASSERT_GT(expected(), 0);
    EXPECT_EQ(sampler.sample_due(), expected());
    auto got = samples(today, today);
    ASSERT_EQ(int(got.size()), expected());
    // Each is the booking page's first free slot, in days from today.
    for (auto& x : got) {
        EXPECT_EQ(x.day, today);
        auto slot = service->first_slot(org, {x.motif_id, x.channel, std::nullopt, today, today});
        ASSERT_EQ(x.days.has_value(), slot.has_value());
        if (slot) {
            EXPECT_EQ(*x.days, core::local_day_of(slot->start, slot->zone) - today);
        }
    }
    // Later the same day (and a second server): nothing more.
    clock->advance(3600);
    EXPECT_EQ(sampler.sample_due(), 0);
    EXPECT_EQ(samples(today, today).size(), got.size());
    // The next day: a new sample of each.
    clock->advance(86400);
    auto tomorrow = core::local_day_of(clock->now(), org.default_zone());
    ASSERT_EQ(tomorrow, today + 1);
    EXPECT_EQ(sampler.sample_due(), expected());
    EXPECT_EQ(int(samples(today, tomorrow).size()), 2 * expected());
    // The statistics read them (the report the page and the API use).
    stats::Filter f;
    f.period = {today, tomorrow};
    auto r = stats::report(*db, org.org.id, f, false);
    ASSERT_TRUE(r);
    int counted = 0;
    for (auto& [key, g] : r->current.first_slot) {
        EXPECT_EQ(g.samples, 2);
        EXPECT_EQ(g.latest_day, tomorrow);
        counted += g.samples;
    }
    EXPECT_EQ(counted, 2 * expected());
}

TEST(FirstSlotFigure, ByHand) {
    const core::LocalDay d = *core::parse_ymd("2026-03-29");
    using C = core::Channel;
    // Motif 1 video: 3, 5, none, 1 days on four days; motif 1 phone: 2 on the first day;
    // motif 2 video: 7 the day before the period.
    std::vector<store::FirstSlotSample> x{{1, C::video, d, 3},
                                          {1, C::phone, d, 2},
                                          {1, C::video, d + 1, 5},
                                          {2, C::video, d - 1, 7},
                                          {1, C::video, d + 2, std::nullopt},
                                          {1, C::video, d + 3, 1}};
    stats::Figures fig;
    stats::Filter f;
    f.period = {d, d + 3};
    stats::first_slots(fig, x, f);
    ASSERT_EQ(fig.first_slot.size(), 2u);  // motif 2's sample is outside
    using Key = std::pair<core::Id, std::string>;
    auto& v = fig.first_slot[Key(1, "video")];
    EXPECT_EQ(v.samples, 4);
    EXPECT_EQ(v.none, 1);
    EXPECT_EQ(v.latest_day, d + 3);
    EXPECT_EQ(v.latest, 1);
    EXPECT_EQ(v.median, 3);  // of 1, 3, 5: the 2nd
    EXPECT_EQ(fig.first_slot[Key(1, "phone")].latest, 2);
    // The latest day found nothing: latest is none, the median still of those found.
    f.period = {d, d + 2};
    stats::first_slots(fig, x, f);
    EXPECT_FALSE(fig.first_slot[Key(1, "video")].latest);
    EXPECT_EQ(fig.first_slot[Key(1, "video")].median, 3);  // of 3, 5: the 1st
    // The channel filter.
    f.channel = C::phone;
    stats::first_slots(fig, x, f);
    ASSERT_EQ(fig.first_slot.size(), 1u);
    auto j = stats::to_json(fig, f.period)["first_slot"];
    ASSERT_EQ(j.size(), 1u);
    EXPECT_EQ(j[0]["channel"], "phone");
    EXPECT_EQ(j[0]["latest_days"], 2);
    EXPECT_EQ(j[0]["median_days"], 2);
    EXPECT_EQ(j[0]["latest_day"], "2026-03-29");
}

}  // namespace
