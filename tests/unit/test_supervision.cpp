// The agent's availability and the supervisors' operations (issue 12) on a real SQLite file
// with the demo organisation and a pinned clock.
#include <gtest/gtest.h>

#include "app/supervision.hpp"
#include "core/closure.hpp"
#include "core/timefmt.hpp"
#include "demo_fixture.hpp"

using namespace vg;

namespace {

using unit::kWednesday;

class SupervisionTest : public unit::DemoFixture {
  protected:
    void SetUp() override {
        DemoFixture::SetUp();
        evry = org.sites[0].id;
        today = core::local_day_of(kWednesday, org.default_zone());
    }

    std::vector<app::SlotView> slots(core::Id motif, core::Channel ch, core::LocalDay day,
                                     std::optional<core::Id> site = std::nullopt) {
        return service->slots(org, {motif, ch, site, day, day});
    }
    store::Appointment book(core::Id motif, core::Channel ch, core::Instant start,
                            std::string email, std::string phone, std::string lang = "fr") {
        app::BookRequest r;
        r.motif_id = motif;
        r.channel = ch;
        r.start = start;
        r.site_id = ch == core::Channel::video ? std::nullopt : std::optional(evry);
        r.citizen = {"Zoé", "Martin", email, phone, lang, "", ""};
        r.accept_terms = true;
        r.terms_version = org.terms->version;
        auto b = service->book(org, r);
        EXPECT_EQ(b.outcome, app::Outcome::ok) << start;
        return b.appointment;
    }
    int overlaps() {
        int n = -1;
        db->read([&](store::Session& s) { n = s.count_live_overlaps(org.org.id); });
        return n;
    }
    // A start several agents serve (10:00 that day, by video): Évry and Massy both work.
    core::Instant ten(core::LocalDay day) {
        return core::start_of_local_day(day, org.default_zone()) + 10 * 3600;
    }
    int plans_count() {
        int n = 0;
        db->read([&](store::Session& s) { n = int(s.plans(org.org.id, std::nullopt).size()); });
        return n;
    }

    core::Id evry = 0;
    core::LocalDay today = 0;
};

}  // namespace

TEST(ClosureRule, VideoWithAnEmailElsePhoneWithANumberElseCancelled) {
    using core::Channel;
    const std::uint8_t V = core::channel_bit(Channel::video),
                       S = core::channel_bit(Channel::on_site),
                       P = core::channel_bit(Channel::phone);
    EXPECT_EQ(core::closure_channel(V | S | P, true, true), Channel::video);
    EXPECT_EQ(core::closure_channel(V | S | P, false, true), Channel::phone);
    EXPECT_EQ(core::closure_channel(S | P, true, true), Channel::phone);
    EXPECT_EQ(core::closure_channel(V | S, false, true), std::nullopt);
    EXPECT_EQ(core::closure_channel(S, true, true), std::nullopt);
    EXPECT_EQ(core::closure_channel(V | S | P, false, false), std::nullopt);
}

TEST(Today, AnAppointmentTurnsLateThenNoShowAsTheClockMoves) {
    core::ManualClock clock(kWednesday);
    store::Appointment a;
    a.starts_at = kWednesday + 600;
    a.status = store::AppointmentStatus::booked;
    auto held = a;
    held.status = store::AppointmentStatus::honoured;
    auto delay = app::no_show_delay(store::Organisation{});  // the default: 10 minutes
    EXPECT_EQ(delay, 600);
    auto v = app::classify_today({a, held}, clock.now(), delay);
    EXPECT_EQ(v.coming.size(), 1u);
    clock.advance(600);  // at the start
    v = app::classify_today({a, held}, clock.now(), delay);
    EXPECT_EQ(v.late.size(), 1u);
    clock.advance(599);
    EXPECT_EQ(app::classify_today({a}, clock.now(), delay).late.size(), 1u);
    clock.advance(1);  // start + the delay: a no-show
    v = app::classify_today({a, held}, clock.now(), delay);
    EXPECT_EQ(v.no_shows.size(), 1u);
    EXPECT_TRUE(v.late.empty());
    // Recorded as arrived ("present" on the appointment page): not a no-show.
    a.id = 42;
    v = app::classify_today({a, held}, clock.now(), delay, {42});
    EXPECT_TRUE(v.no_shows.empty());
    EXPECT_EQ(v.arrived.size(), 1u);
}

TEST_F(SupervisionTest, ANewPlansSlotsAppearAtOnceAndBadPlansWriteNothing) {
    auto saturday = today + 3;
    ASSERT_TRUE(slots(1, core::Channel::video, saturday).empty());
    core::OpeningPlan p;
    p.agent_id = org.sites.empty() ? 0 : 1;
    p.site_id = evry;
    p.rule = {0b0100000, 9 * 60, 12 * 60, today, std::nullopt, 1};
    p.channels = core::channel_bit(core::Channel::video);
    int before = plans_count();

    auto bad = p;
    bad.rule.end_minute = 8 * 60;
    auto r = service->save_plan(org, bad, 1, "account:1");
    EXPECT_EQ(r.outcome, app::Outcome::invalid);
    EXPECT_EQ(r.errors["end"], "availability.error.end_before_start");
    bad = p;
    bad.site_id = 999999;
    EXPECT_EQ(service->save_plan(org, bad, 1, "account:1").errors["site"],
              "availability.error.unknown_site");
    bad = p;
    bad.rule.end_minute = 1500;
    EXPECT_EQ(service->save_plan(org, bad, 1, "account:1").errors["end"],
              "availability.error.hours");
    // Another agent's plan from an agent's scope: not found.
    EXPECT_EQ(service->save_plan(org, p, 2, "account:1").outcome, app::Outcome::not_found);
    EXPECT_EQ(plans_count(), before);

    r = service->save_plan(org, p, 1, "account:1");
    ASSERT_EQ(r.outcome, app::Outcome::ok);
    EXPECT_EQ(plans_count(), before + 1);
    EXPECT_EQ(slots(1, core::Channel::video, saturday).size(), 6u);  // 9:00..11:30
    std::vector<store::ConfigChange> changes;
    db->read([&](store::Session& s) { changes = s.changes(org.org.id, {"plan", "", {}, {}, 10}); });
    ASSERT_EQ(changes.size(), 1u);
    EXPECT_EQ(changes[0].action, "create");

    EXPECT_EQ(service->delete_plan(org, r.id, 2, "account:2").outcome, app::Outcome::not_found);
    EXPECT_EQ(service->delete_plan(org, r.id, 1, "account:1").outcome, app::Outcome::ok);
    EXPECT_TRUE(slots(1, core::Channel::video, saturday).empty());
}

TEST_F(SupervisionTest, ClosingASitePreviewedThenAppliedAsPreviewedAndNoOnSiteBookingThatDay) {
    auto thursday = today + 1;
    auto on_site = slots(1, core::Channel::on_site, thursday, evry);
    ASSERT_GE(on_site.size(), 3u);
    auto housing = slots(3, core::Channel::on_site, thursday, evry);
    ASSERT_FALSE(housing.empty());
    auto a = book(1, core::Channel::on_site, on_site[0].start, "zoe@example.fr", "", "de");
    auto b = book(1, core::Channel::on_site, on_site[1].start, "", "0612345678", "nl");
    auto c = book(3, core::Channel::on_site, housing.back().start, "", "0612345679", "en");

    auto preview = service->close_site_preview(org, evry, thursday);
    ASSERT_EQ(preview.items.size(), 3u);
    auto outcome_of = [&](const app::ClosurePlan& p, core::Id id) {
        for (auto& i : p.items)
            if (i.appointment.id == id)
                return i.cancel ? std::string("cancel") : std::string(core::to_string(i.to));
        return std::string("absent");
    };
    EXPECT_EQ(outcome_of(preview, a.id), "video");
    EXPECT_EQ(outcome_of(preview, b.id), "phone");
    EXPECT_EQ(outcome_of(preview, c.id), "cancel");

    // A stale preview is refused whole.
    auto stale = service->close_site(org, evry, thursday, "dégât des eaux", "nope", "account:9");
    EXPECT_EQ(stale.outcome, app::Outcome::conflict);
    EXPECT_FALSE(slots(1, core::Channel::on_site, thursday, evry).empty());
    // No reason: nothing done either.
    EXPECT_EQ(
        service->close_site(org, evry, thursday, " ", preview.fingerprint, "account:9").outcome,
        app::Outcome::invalid);

    auto done = service->close_site(org, evry, thursday, "dégât des eaux", preview.fingerprint,
                                    "account:9");
    ASSERT_EQ(done.outcome, app::Outcome::ok);
    ASSERT_EQ(done.items.size(), preview.items.size());
    for (std::size_t i = 0; i < done.items.size(); ++i) {
        EXPECT_EQ(done.items[i].appointment.id, preview.items[i].appointment.id);
        EXPECT_EQ(done.items[i].cancel, preview.items[i].cancel);
        EXPECT_EQ(done.items[i].to, preview.items[i].to);
    }
    db->read([&](store::Session& s) {
        auto x = s.appointment_by_id(org.org.id, a.id);
        EXPECT_EQ(x->channel, core::Channel::video);
        EXPECT_EQ(x->agent_id, a.agent_id);
        EXPECT_EQ(x->starts_at, a.starts_at);
        EXPECT_EQ(s.appointment_by_id(org.org.id, b.id)->channel, core::Channel::phone);
        EXPECT_EQ(s.appointment_by_id(org.org.id, c.id)->status,
                  store::AppointmentStatus::cancelled);
        int changed = 0, cancelled = 0;
        for (auto& row : s.outbox(org.org.id, "pending", 100)) {
            changed += row.kind == "channel_changed";
            cancelled += row.kind == "cancellation";
        }
        EXPECT_EQ(changed, 2);  // a by e-mail, b by SMS
        EXPECT_EQ(cancelled, 1);
    });
    // The slot search honours the closure, on site only.
    EXPECT_TRUE(slots(1, core::Channel::on_site, thursday, evry).empty());
    EXPECT_FALSE(slots(1, core::Channel::video, thursday).empty());
    EXPECT_FALSE(slots(1, core::Channel::on_site, thursday + 1, evry).empty());
    EXPECT_EQ(overlaps(), 0);
}

TEST_F(SupervisionTest, AnAbsenceListsTheAppointmentsItHitsAndAppliesEveryChoiceOrNone) {
    auto thursday = today + 1;
    auto a = book(1, core::Channel::video, ten(thursday), "zoe@example.fr", "");
    auto zone = org.default_zone();
    app::AbsenceRequest req;
    req.agent_id = a.agent_id;
    req.span = {core::start_of_local_day(thursday, zone),
                core::start_of_local_day(thursday + 1, zone)};
    req.actor = "account:1";
    auto r = service->add_absence(org, req);
    ASSERT_EQ(r.outcome, app::Outcome::conflict);
    ASSERT_EQ(r.hit.size(), 1u);
    EXPECT_EQ(r.hit[0].id, a.id);

    // A cancellation without reason: refused, and nothing written (no absence).
    req.choices = {{a.id, "cancel", 0, 0, ""}};
    r = service->add_absence(org, req);
    EXPECT_EQ(r.outcome, app::Outcome::invalid);
    EXPECT_EQ(r.errors["choice_" + std::to_string(a.id)], "availability.error.reason_required");
    db->read([&](store::Session& s) {
        EXPECT_TRUE(s.absences(org.org.id, a.agent_id, kWednesday).empty() ||
                    s.absences(org.org.id, a.agent_id, kWednesday).front().absence.span.start !=
                        req.span.start);
    });

    // Reassigning to someone not free: refused.
    req.choices = {{a.id, "reassign", a.agent_id, 0, ""}};
    EXPECT_EQ(service->add_absence(org, req).outcome, app::Outcome::invalid);

    auto free = service->reassign_candidates(org, a, {a.agent_id});
    ASSERT_FALSE(free.empty());
    req.choices = {{a.id, "reassign", free.front(), 0, ""}};
    r = service->add_absence(org, req);
    ASSERT_EQ(r.outcome, app::Outcome::ok);
    db->read([&](store::Session& s) {
        EXPECT_EQ(s.appointment_by_id(org.org.id, a.id)->agent_id, free.front());
        EXPECT_FALSE(s.absences(org.org.id, a.agent_id, kWednesday).empty());
    });
    EXPECT_EQ(overlaps(), 0);
}

TEST_F(SupervisionTest, ReassignNeverDoubleBooks) {
    auto thursday = today + 1;
    auto a = book(1, core::Channel::video, ten(thursday), "zoe@example.fr", "");
    auto free = service->reassign_candidates(org, a);
    ASSERT_FALSE(free.empty());
    // Fill every other free agent at that time, then reassigning to one of them is refused.
    auto target = free.front();
    auto b = book(1, core::Channel::video, ten(thursday), "b@example.fr", "");
    auto r = service->reassign(org, a.id, b.agent_id, "account:1");
    EXPECT_EQ(r.outcome, app::Outcome::invalid);
    EXPECT_EQ(overlaps(), 0);
    free = service->reassign_candidates(org, a);
    if (!free.empty()) {
        r = service->reassign(org, a.id, free.front(), "account:1");
        EXPECT_EQ(r.outcome, app::Outcome::ok);
    }
    (void)target;
    EXPECT_EQ(overlaps(), 0);
}

TEST_F(SupervisionTest, AnAbsenceMovesAnAppointmentToAFreeSlotAndTheCitizenIsTold) {
    auto thursday = today + 1;
    auto a = book(1, core::Channel::video, ten(thursday), "zoe@example.fr", "");
    auto zone = org.default_zone();
    app::AbsenceRequest req;
    req.agent_id = a.agent_id;
    req.span = {core::start_of_local_day(thursday, zone),
                core::start_of_local_day(thursday + 1, zone)};
    req.actor = "account:1";
    auto options = service->move_options(org, a, req.span.end, 5);
    ASSERT_FALSE(options.empty());
    // A start nobody serves: refused, nothing written.
    req.choices = {{a.id, "move", 0, req.span.end + 3 * 3600 + 17 * 60, ""}};
    EXPECT_EQ(service->add_absence(org, req).outcome, app::Outcome::invalid);
    req.choices = {{a.id, "move", 0, options.front().start, ""}};
    auto r = service->add_absence(org, req);
    ASSERT_EQ(r.outcome, app::Outcome::ok);
    db->read([&](store::Session& s) {
        auto moved = s.appointment_by_id(org.org.id, a.id);
        EXPECT_EQ(moved->starts_at, options.front().start);
        EXPECT_EQ(moved->status, store::AppointmentStatus::booked);
        int told = 0;
        for (auto& row : s.outbox(org.org.id, "pending", 100)) told += row.kind == "reschedule";
        EXPECT_EQ(told, 1);
    });
    EXPECT_EQ(overlaps(), 0);
}

TEST_F(SupervisionTest, ARecurringAbsenceOverBookedAppointmentsIsRefused) {
    auto thursday = today + 1;
    auto a = book(1, core::Channel::video, ten(thursday), "zoe@example.fr", "");
    core::RecurringAbsence thursdays{a.agent_id, {0b0001000, 9 * 60, 12 * 60, today, {}, 1}};
    auto r = app::add_recurring_absence(*service, org, thursdays, "réunion", "account:1");
    ASSERT_EQ(r.result.outcome, app::Outcome::conflict);
    ASSERT_EQ(r.hit.size(), 1u);
    EXPECT_EQ(r.hit[0].id, a.id);
    auto bad = thursdays;
    bad.rule.end_minute = 8 * 60;
    EXPECT_EQ(app::add_recurring_absence(*service, org, bad, "", "account:1").result.outcome,
              app::Outcome::invalid);
    // Fridays are free of appointments: accepted, and that agent's Friday slots go at once.
    auto friday = today + 2;
    auto before = slots(1, core::Channel::video, friday).size();
    core::RecurringAbsence fridays{a.agent_id, {0b0010000, 0, 1440, today, {}, 1}};
    r = app::add_recurring_absence(*service, org, fridays, "", "account:1");
    ASSERT_EQ(r.result.outcome, app::Outcome::ok);
    std::vector<store::RecurringAbsenceRow> rows;
    db->read([&](store::Session& s) { rows = s.recurring_absences(org.org.id, a.agent_id); });
    EXPECT_FALSE(rows.empty());
    (void)before;
    EXPECT_EQ(
        app::delete_recurring_absence(*service, org, r.result.id, a.agent_id + 1, "x").outcome,
        app::Outcome::not_found);
    EXPECT_EQ(app::delete_recurring_absence(*service, org, r.result.id, a.agent_id, "x").outcome,
              app::Outcome::ok);
}
