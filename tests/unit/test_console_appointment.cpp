// The console's appointment actions (issue 12) on a real SQLite file with the demo
// organisation and a ManualClock: each allowed and refused transition, the outcome and its
// qualification, the agent's lead-time override, never a double booking.
#include <gtest/gtest.h>

#include "app/console_appointment.hpp"
#include "demo_fixture.hpp"
#include "store/sqlite.hpp"
#include "web/console_appointment.hpp"

using namespace vg;
using store::AppointmentStatus;

namespace {

using unit::kWednesday;
const std::string kActor = "account:1";

class ConsoleAppointmentTest : public unit::DemoFixture {
  protected:
    void SetUp() override {
        DemoFixture::SetUp();
        console = std::make_unique<app::ConsoleAppointments>(*service);
    }
    void TearDown() override {
        console.reset();
        DemoFixture::TearDown();
    }

    app::SlotQuery query(bool ignore_lead = false) {
        auto today = core::local_day_of(clock->now(), org.default_zone());
        app::SlotQuery q{1, core::Channel::video, std::nullopt, today, today + 20};
        q.ignore_lead_time = ignore_lead;
        return q;
    }
    store::Appointment book(const std::string& phone = "") {
        auto slots = service->slots(org, query());
        EXPECT_FALSE(slots.empty());
        app::BookRequest r;
        r.motif_id = 1;
        r.channel = core::Channel::video;
        r.start = slots.at((slots.size() / 3 + std::size_t(picks++) * 5) % slots.size()).start;
        r.citizen = {"Zoé", "Martin", "zoe@example.fr", phone, "nl", "", ""};
        r.accept_terms = true;
        r.terms_version = org.terms->version;
        auto b = service->book(org, r);
        EXPECT_EQ(b.outcome, app::Outcome::ok);
        return b.appointment;
    }
    store::Appointment reread(core::Id id) {
        return service->find_by_id(org.org.id, id)->appointment;
    }
    int count(const std::string& sql, core::Id id) {
        store::sqlite::Connection c((dir / "t.db").string(), 1000);
        auto s = c.prepare(sql.c_str());
        s.bind(1, id);
        s.step();
        return s.i32(0);
    }
    int messages(core::Id id, const std::string& kind) {
        return count("SELECT COUNT(*) FROM outbox WHERE appointment_id = ? AND kind = '" + kind +
                         "' AND status <> 'cancelled'",
                     id);
    }
    int events(core::Id id, const std::string& kind) {
        return count(
            "SELECT COUNT(*) FROM appointment_events WHERE appointment_id = ? AND kind = '" + kind +
                "'",
            id);
    }

    std::unique_ptr<app::ConsoleAppointments> console;
    int picks = 0;
};

}  // namespace

TEST_F(ConsoleAppointmentTest, ArrivalFromAnHourBeforeTheStartAndOnce) {
    auto a = book();
    EXPECT_EQ(service->record_arrival(org.org.id, a.id, kActor).outcome, app::Outcome::gone);
    EXPECT_EQ(events(a.id, "arrived"), 0);
    clock->set(a.starts_at - 30 * 60);
    EXPECT_EQ(service->record_arrival(org.org.id + 1, a.id, kActor).outcome,
              app::Outcome::not_found);
    EXPECT_EQ(service->record_arrival(org.org.id, a.id, kActor).outcome, app::Outcome::ok);
    EXPECT_EQ(service->record_arrival(org.org.id, a.id, kActor).outcome, app::Outcome::gone);
    EXPECT_EQ(events(a.id, "arrived"), 1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE object_id = ? AND "
                    "action = 'appointment.arrival'",
                    a.id),
              1);
}

TEST_F(ConsoleAppointmentTest, DoneWithOutcomeOnlyOnceStartedAndWithKnownCodes) {
    auto a = book();
    store::AppointmentOutcome o{
        0, 0, "partially", "access_rights.simulation", "theme.housing", "autonomy.beginner", "", 0};
    EXPECT_EQ(service->record_done(org.org.id, a.id, o, kActor).outcome, app::Outcome::gone);
    clock->set(a.starts_at + 20 * 60);
    auto bad = o;
    bad.resolved = "maybe";
    bad.theme = "theme.unknown";
    auto r = service->record_done(org.org.id, a.id, bad, kActor);
    EXPECT_EQ(r.outcome, app::Outcome::invalid);
    EXPECT_EQ(r.errors["resolved"], "error.invalid_choice");
    EXPECT_EQ(r.errors["theme"], "error.invalid_choice");
    EXPECT_EQ(reread(a.id).status, AppointmentStatus::booked);  // nothing written
    EXPECT_EQ(count("SELECT COUNT(*) FROM appointment_outcomes WHERE appointment_id = ?", a.id), 0);

    ASSERT_EQ(service->record_done(org.org.id, a.id, o, kActor).outcome, app::Outcome::ok);
    EXPECT_EQ(reread(a.id).status, AppointmentStatus::honoured);
    auto file = console->file(org.org.id, a.id);
    ASSERT_TRUE(file && file->outcome);
    EXPECT_EQ(file->outcome->resolved, "partially");
    EXPECT_EQ(file->outcome->request_type, "access_rights.simulation");
    EXPECT_EQ(file->outcome->theme, "theme.housing");
    EXPECT_EQ(file->outcome->autonomy, "autonomy.beginner");
    EXPECT_EQ(file->outcome->recorded_by, kActor);
    EXPECT_EQ(events(a.id, "honoured"), 1);

    // Corrected later: the status stays, the history says so; a no-show is refused now.
    o.resolved = "yes";
    ASSERT_EQ(service->record_done(org.org.id, a.id, o, kActor).outcome, app::Outcome::ok);
    EXPECT_EQ(console->file(org.org.id, a.id)->outcome->resolved, "yes");
    EXPECT_EQ(events(a.id, "outcome_updated"), 1);
    EXPECT_EQ(service->record_outcome(org.org.id, a.id, AppointmentStatus::no_show, kActor).outcome,
              app::Outcome::gone);
    EXPECT_EQ(service->record_done(org.org.id + 1, a.id, o, kActor).outcome,
              app::Outcome::not_found);
}

TEST_F(ConsoleAppointmentTest, NoShowThenNothingElse) {
    auto a = book();
    clock->set(a.starts_at + 15 * 60);
    ASSERT_EQ(service->record_outcome(org.org.id, a.id, AppointmentStatus::no_show, kActor).outcome,
              app::Outcome::ok);
    store::AppointmentOutcome o{0, 0, "yes", "", "", "", "", 0};
    EXPECT_EQ(service->record_done(org.org.id, a.id, o, kActor).outcome, app::Outcome::gone);
    EXPECT_EQ(service->record_arrival(org.org.id, a.id, kActor).outcome, app::Outcome::gone);
    EXPECT_EQ(service->move_to_phone(org.org.id, a.id, kActor).outcome, app::Outcome::gone);
    EXPECT_EQ(service->cancel_by_agency(org.org.id, a.id, "x", kActor).outcome, app::Outcome::gone);
}

TEST_F(ConsoleAppointmentTest, MoveToPhoneNeedsANumberAndTellsTheCitizen) {
    auto without = book();
    auto r = service->move_to_phone(org.org.id, without.id, kActor);
    EXPECT_EQ(r.outcome, app::Outcome::invalid);
    EXPECT_EQ(r.errors["phone"], "error.phone_required");
    EXPECT_EQ(reread(without.id).channel, core::Channel::video);
    EXPECT_EQ(messages(without.id, "moved_to_phone"), 0);

    auto a = book("06 12 34 56 78");
    ASSERT_EQ(service->move_to_phone(org.org.id, a.id, kActor).outcome, app::Outcome::ok);
    auto moved = reread(a.id);
    EXPECT_EQ(moved.channel, core::Channel::phone);
    EXPECT_EQ(moved.starts_at, a.starts_at);
    EXPECT_EQ(moved.agent_id, a.agent_id);
    EXPECT_EQ(messages(a.id, "moved_to_phone"), 2);  // e-mail and SMS
    EXPECT_EQ(events(a.id, "moved_to_phone"), 1);
    // Already by phone; and once started, never.
    EXPECT_EQ(service->move_to_phone(org.org.id, a.id, kActor).outcome, app::Outcome::gone);
    auto other = book("06 12 34 56 79");
    clock->set(other.starts_at + 60);
    EXPECT_EQ(service->move_to_phone(org.org.id, other.id, kActor).outcome, app::Outcome::gone);
    EXPECT_EQ(service->move_to_phone(org.org.id + 1, other.id, kActor).outcome,
              app::Outcome::not_found);
}

TEST_F(ConsoleAppointmentTest, AgencyRescheduleUsesTheEngineAndTellsTheCitizen) {
    auto a = book();
    auto slots = service->slots(org, query());
    core::Instant target = 0;
    for (auto& s : slots)
        if (s.start > a.starts_at + 86400) {
            target = s.start;
            break;
        }
    ASSERT_NE(target, 0);
    EXPECT_EQ(
        service->reschedule_by_agency(org.org.id + 1, a.id, target, std::nullopt, kActor).outcome,
        app::Outcome::not_found);
    // Not a start the engine offers: refused like the citizen's reschedule.
    EXPECT_EQ(service
                  ->reschedule_by_agency(org.org.id, a.id, target + 3 * 3600 + 17 * 60,
                                         std::nullopt, kActor)
                  .outcome,
              app::Outcome::conflict);
    auto r = service->reschedule_by_agency(org.org.id, a.id, target, std::nullopt, kActor);
    ASSERT_EQ(r.outcome, app::Outcome::ok);
    EXPECT_EQ(reread(a.id).starts_at, target);
    EXPECT_EQ(messages(a.id, "reschedule"), 1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM appointment_events WHERE appointment_id = ? AND "
                    "kind = 'rescheduled' AND actor = 'account:1'",
                    a.id),
              1);
    ASSERT_EQ(service->cancel_by_agency(org.org.id, a.id, "Fermeture", kActor).outcome,
              app::Outcome::ok);
    EXPECT_EQ(messages(a.id, "cancellation"), 1);
    EXPECT_EQ(service->reschedule_by_agency(org.org.id, a.id, target, std::nullopt, kActor).outcome,
              app::Outcome::gone);
}

TEST_F(ConsoleAppointmentTest, AgentMayOverrideTheLeadTimeButNeverDoubleBook) {
    // Motif 1 asks two hours' notice: the slots within them are offered to an agent only.
    auto citizen_slots = service->slots(org, query(false));
    auto agent_slots = service->slots(org, query(true));
    ASSERT_FALSE(agent_slots.empty());
    auto soon = agent_slots.front().start;
    ASSERT_LT(soon, clock->now() + 120 * 60);
    ASSERT_TRUE(citizen_slots.empty() || citizen_slots.front().start > soon);

    app::BookRequest r;
    r.motif_id = 1;
    r.channel = core::Channel::video;
    r.start = soon;
    r.citizen = {"Léa", "Durand", "lea@example.fr", "", "fr", "", ""};
    r.accept_terms = true;
    r.terms_version = org.terms->version;
    r.actor = {"agent", core::Id(1), std::nullopt};
    EXPECT_EQ(service->book(org, r).outcome, app::Outcome::conflict);  // the citizen's rule

    r.ignore_lead_time = true;
    int booked = 0;
    for (int i = 0; i < 20; ++i) {
        r.citizen.email = "lea" + std::to_string(i) + "@example.fr";
        auto b = service->book(org, r);
        if (b.outcome != app::Outcome::ok) {
            EXPECT_EQ(b.outcome, app::Outcome::conflict);
            break;
        }
        ++booked;
        EXPECT_EQ(b.appointment.booked_by.kind, "agent");
        EXPECT_EQ(b.appointment.booked_by.agent_id, core::Id(1));
    }
    EXPECT_GE(booked, 1);
    EXPECT_LT(booked, 20);  // as many as free agents, then refused
    int overlaps = -1;
    db->read([&](store::Session& s) { overlaps = s.count_live_overlaps(org.org.id); });
    EXPECT_EQ(overlaps, 0);
}

TEST_F(ConsoleAppointmentTest, PrivateNotes) {
    auto a = book();
    EXPECT_EQ(console->add_note(org.org.id, a.id, "  ", kActor, "Ana").outcome,
              app::Outcome::invalid);
    EXPECT_EQ(console->add_note(org.org.id, a.id, std::string(2001, 'x'), kActor, "Ana").outcome,
              app::Outcome::invalid);
    EXPECT_EQ(console->add_note(org.org.id + 1, a.id, "hello", kActor, "Ana").outcome,
              app::Outcome::not_found);
    EXPECT_EQ(count("SELECT COUNT(*) FROM appointment_notes WHERE appointment_id = ?", a.id), 0);
    ASSERT_EQ(console->add_note(org.org.id, a.id, "Rappeler la CAF", kActor, "Ana").outcome,
              app::Outcome::ok);
    auto file = console->file(org.org.id, a.id);
    ASSERT_EQ(file->notes.size(), 1u);
    EXPECT_EQ(file->notes[0].body, "Rappeler la CAF");
    EXPECT_EQ(file->notes[0].author_name, "Ana");
    EXPECT_EQ(file->notes[0].at, clock->now());
    // The history says a note was added, never what it says.
    EXPECT_EQ(count("SELECT COUNT(*) FROM appointment_events WHERE appointment_id = ? AND "
                    "detail LIKE '%CAF%'",
                    a.id),
              0);
}

TEST_F(ConsoleAppointmentTest, QualificationDefaultsAndEditsWithStableCodes) {
    auto items = console->outcome_items(org.org.id);
    ASSERT_EQ(items.size(), 21u);  // seed 001: 3 categories, 11 request types, 4 themes, 3 levels
    auto find = [&](const std::string& code) -> const store::OutcomeItem* {
        for (auto& i : items)
            if (i.code == code) return &i;
        return nullptr;
    };
    ASSERT_TRUE(find("change_of_situation.contact_details"));
    EXPECT_EQ(find("autonomy.intermediate")->label.pick("de"), "Fortgeschritten");

    store::LocalText label;
    label.by_lang = {{"fr", "Numérique"}, {"en", "Digital"}};
    EXPECT_EQ(console->add_item(org.org.id, "theme", "", {}, kActor).outcome,
              app::Outcome::invalid);
    EXPECT_EQ(console->add_item(org.org.id, "request_type", "nope", label, kActor).outcome,
              app::Outcome::invalid);
    ASSERT_EQ(console->add_item(org.org.id, "theme", "", label, kActor).outcome, app::Outcome::ok);
    items = console->outcome_items(org.org.id);
    ASSERT_EQ(items.size(), 22u);
    const store::OutcomeItem* added = nullptr;
    for (auto& i : items)
        if (i.label.pick("en") == "Digital") added = &i;
    ASSERT_TRUE(added);
    auto code = added->code;
    auto id = added->id;
    EXPECT_EQ(code.rfind("theme.", 0), 0u);

    label.by_lang["fr"] = "Inclusion numérique";
    ASSERT_EQ(console->rename_item(org.org.id, id, label, kActor).outcome, app::Outcome::ok);
    EXPECT_EQ(console->rename_item(org.org.id + 1, id, label, kActor).outcome,
              app::Outcome::not_found);
    ASSERT_EQ(console->retire_item(org.org.id, id, kActor).outcome, app::Outcome::ok);
    EXPECT_EQ(console->retire_item(org.org.id, id, kActor).outcome, app::Outcome::gone);

    // A retired item is refused in a new outcome; a new item never takes its code.
    auto a = book();
    clock->set(a.starts_at + 60);
    store::AppointmentOutcome o{0, 0, "yes", "", code, "", "", 0};
    EXPECT_EQ(service->record_done(org.org.id, a.id, o, kActor).outcome, app::Outcome::invalid);
    ASSERT_EQ(console->add_item(org.org.id, "theme", "", label, kActor).outcome, app::Outcome::ok);
    items = console->outcome_items(org.org.id);
    std::set<std::string> codes;
    for (auto& i : items) codes.insert(i.code);
    EXPECT_EQ(codes.size(), items.size());
    // Every change is in the journal.
    std::vector<store::ConfigChange> changes;
    db->read([&](store::Session& s) {
        store::ChangeFilter f;
        f.object_type = "outcome_item";
        changes = s.changes(org.org.id, f);
    });
    EXPECT_EQ(changes.size(), 4u);  // add, rename, retire, add
}

TEST_F(ConsoleAppointmentTest, OwnAppointmentsOrThoseOfTheAgentsOneSupervises) {
    store::Id mine = 0, colleague = 0, account = 0;
    db->read([&](store::Session& s) {
        auto all = s.agents(org.org.id);
        ASSERT_GE(all.size(), 2u);
        mine = all[0].id;
        colleague = all[1].id;
        account = s.accounts(org.org.id).at(0).id;  // any account: the supervisor below
    });
    web::Staff agent;
    agent.organisation_id = org.org.id;
    agent.roles = {"agent"};
    agent.agent_id = mine;
    store::Appointment a;
    a.organisation_id = org.org.id;
    a.agent_id = mine;
    EXPECT_TRUE(web::may_see(*db, agent, a));
    a.agent_id = colleague;
    EXPECT_FALSE(web::may_see(*db, agent, a)) << "a colleague's";
    auto supervisor = agent;
    supervisor.roles = {"supervisor"};
    supervisor.agent_id.reset();
    supervisor.current.account.id = account;
    EXPECT_TRUE(web::may_see(*db, supervisor, a)) << "a supervisor of no team sees everyone";
    // Supervising a team that holds only `mine`: the colleague's appointments are out of sight.
    db->write([&](store::Session& s) {
        auto team = s.insert_team(org.org.id, "Accueil");
        ASSERT_TRUE(team);
        s.add_team_agent(*team, mine);
        s.add_team_supervisor(*team, account);
    });
    EXPECT_FALSE(web::may_see(*db, supervisor, a));
    a.agent_id = mine;
    EXPECT_TRUE(web::may_see(*db, supervisor, a));
    a.organisation_id = org.org.id + 1;  // another organisation: nobody
    EXPECT_FALSE(web::may_see(*db, agent, a));
    EXPECT_FALSE(web::may_see(*db, supervisor, a));
}
