// The agent's agenda: who sees whose agenda (app/staff_scope), the day and week grouping and
// the next appointment on a ManualClock, the private calendar feed (no citizen contact in
// it), teams and their change journal, the multi-event .ics.
#include <gtest/gtest.h>
#include <libical/ical.h>

#include <filesystem>
#include <fstream>

#include "app/agenda.hpp"
#include "app/staff_scope.hpp"
#include "app/teams.hpp"
#include "core/timefmt.hpp"
#include "demo_fixture.hpp"
#include "notify/ics.hpp"
#include "text/i18n.hpp"
#include "text/templates.hpp"

using namespace vg;
namespace fs = std::filesystem;

namespace {

using unit::kWednesday;

class AgendaTest : public unit::DemoFixture {
  protected:
    void SetUp() override {
        DemoFixture::SetUp();
        i18n.load(std::string(VG_SOURCE_DIR) + "/locales");
        agenda = std::make_unique<app::AgendaService>(
            *service, i18n, notify::Identity{"inst", "rdv.example.org"}, "https://rdv.example.org");
        db->read([&](store::Session& s) {
            for (auto& a : s.agents(org.org.id)) agents.push_back(a.id);
            agent1_account = s.account_by_email("agent1@demo.visioguichet.test")->id;
        });
        ASSERT_EQ(agents.size(), 6u);
    }
    void TearDown() override {
        agenda.reset();
        DemoFixture::TearDown();
    }

    app::ScopeSubject agent_subject(std::size_t i, core::Id account) {
        return {org.org.id, account, {"agent"}, agents[i]};
    }
    core::LocalDay today() const { return core::local_day_of(clock->now(), org.default_zone()); }

    text::I18n i18n;
    std::unique_ptr<app::AgendaService> agenda;
    std::vector<core::Id> agents;
    core::Id agent1_account = 0;
};

}  // namespace

// --- scope ---------------------------------------------------------------------------------

TEST_F(AgendaTest, ScopeAgentsSupervisorsAdministrators) {
    core::Id other_org = 0, stranger = 0;
    db->write([&](store::Session& s) {
        store::Organisation o;
        o.slug = "autre";
        o.name = "Autre";
        other_org = s.insert_organisation(o);
        store::Agent a;
        a.organisation_id = other_org;
        a.display_name = "Ailleurs";
        stranger = s.insert_agent(a);
    });
    auto org_id = org.org.id;
    // An agent: their own agent only; an agent id of another organisation: nobody.
    EXPECT_EQ(app::visible_agents(*db, {org_id, 1, {"agent"}, agents[0]}),
              std::vector<core::Id>{agents[0]});
    EXPECT_TRUE(app::visible_agents(*db, {org_id, 1, {"agent"}, stranger}).empty());
    // A supervisor of no team and an administrator: every agent of the organisation.
    EXPECT_EQ(app::visible_agents(*db, {org_id, 7, {"supervisor"}, std::nullopt}), agents);
    EXPECT_EQ(app::visible_agents(*db, {org_id, 8, {"admin"}, std::nullopt}), agents);
    EXPECT_EQ(app::visible_agents(*db, {other_org, 8, {"admin"}, std::nullopt}),
              std::vector<core::Id>{stranger});
    // A supervisor of a team: its agents only (plus their own agent when they are one).
    app::TeamService teams(*service);
    auto t = teams.create(org_id, "Équipe nord", "test");
    ASSERT_EQ(t.outcome, app::Outcome::ok);
    db->write([&](store::Session& s) {
        store::Membership m;
        m.account_id = agent1_account;
        m.organisation_id = org_id;
        m.role = "supervisor";
        s.add_membership(m);
    });
    ASSERT_EQ(teams.set_supervisor(org_id, t.team_id, agent1_account, true, "test").outcome,
              app::Outcome::ok);
    // A supervisor of an empty team sees no other agent.
    app::ScopeSubject sup{org_id, agent1_account, {"supervisor"}, std::nullopt};
    EXPECT_TRUE(app::visible_agents(*db, sup).empty());
    ASSERT_EQ(teams.set_agent(org_id, t.team_id, agents[2], true, "test").outcome,
              app::Outcome::ok);
    ASSERT_EQ(teams.set_agent(org_id, t.team_id, agents[4], true, "test").outcome,
              app::Outcome::ok);
    EXPECT_EQ(app::visible_agents(*db, sup), (std::vector<core::Id>{agents[2], agents[4]}));
    app::ScopeSubject both{org_id, agent1_account, {"agent", "supervisor"}, agents[0]};
    EXPECT_EQ(app::visible_agents(*db, both),
              (std::vector<core::Id>{agents[0], agents[2], agents[4]}));
    db->read([&](store::Session& s) {
        EXPECT_TRUE(app::may_see_agent(s, both, agents[2]));
        EXPECT_FALSE(app::may_see_agent(s, both, agents[3]));
        EXPECT_FALSE(app::may_see_agent(s, both, stranger));
    });
    // Another organisation's agent cannot join the team.
    EXPECT_EQ(teams.set_agent(org_id, t.team_id, stranger, true, "test").outcome,
              app::Outcome::not_found);
}

// --- agenda --------------------------------------------------------------------------------

TEST_F(AgendaTest, DayAndWeekGroupingAndTheNextAppointment) {
    const core::Instant h = 3600;
    auto a = agents[0];
    // Wednesday (Paris = UTC+1): 08:00–08:30 (over), 09:00–09:30, 14:00 confirmed, 23:30
    // (still Wednesday in Paris, Thursday never), a cancelled one; Friday 10:00; another
    // agent's at 10:00.
    add_appointment(a, kWednesday - h);
    auto nine = add_appointment(a, kWednesday);
    auto two = add_appointment(a, kWednesday + 5 * h, 30, store::AppointmentStatus::confirmed);
    auto late = add_appointment(a, kWednesday + 14 * h + 1800);
    add_appointment(a, kWednesday + 2 * h, 30, store::AppointmentStatus::cancelled);
    auto friday = add_appointment(a, kWednesday + 2 * 86400 + h);
    add_appointment(agents[1], kWednesday + h);

    auto subject = agent_subject(0, agent1_account);
    app::AgendaQuery q{today(), 1, a, true};
    clock->set(kWednesday + 600);  // 09:10: the 09:00 appointment is under way
    auto day = agenda->agenda("demo", subject, q);
    ASSERT_EQ(day.outcome, app::Agenda::Outcome::ok);
    ASSERT_EQ(day.days.size(), 1u);
    ASSERT_EQ(day.days[0].entries.size(), 4u);  // not the cancelled one, not the colleague's
    EXPECT_EQ(day.days[0].entries[1].appointment.id, nine);
    EXPECT_TRUE(day.days[0].entries[2].confirmed());
    EXPECT_EQ(day.days[0].entries[3].appointment.id, late);
    ASSERT_TRUE(day.next);
    EXPECT_EQ(day.next->appointment.id, nine);
    EXPECT_TRUE(app::countdown(*day.next, clock->now()).started);

    clock->set(kWednesday + 2400);  // 09:40: next is 14:00, in 4 h 20
    day = agenda->agenda("demo", subject, q);
    ASSERT_TRUE(day.next);
    EXPECT_EQ(day.next->appointment.id, two);
    auto c = app::countdown(*day.next, clock->now());
    EXPECT_FALSE(c.started);
    EXPECT_EQ(c.minutes, 260);

    // Thursday evening: the next one is Friday's.
    clock->set(kWednesday + 86400 + 10 * h);
    q.from = today();
    day = agenda->agenda("demo", subject, q);
    EXPECT_TRUE(day.days[0].entries.empty());
    ASSERT_TRUE(day.next);
    EXPECT_EQ(day.next->appointment.id, friday);

    // The week from Monday: Wednesday 4, Friday 1.
    auto week = agenda->agenda("demo", subject, {core::monday_of(q.from), 7, a, false});
    ASSERT_EQ(week.days.size(), 7u);
    EXPECT_EQ(week.days[0].day, core::monday_of(q.from));
    EXPECT_EQ(week.days[2].entries.size(), 4u);
    EXPECT_EQ(week.days[3].entries.size(), 0u);
    EXPECT_EQ(week.days[4].entries.size(), 1u);
    EXPECT_FALSE(week.next);

    // An agent asking for a colleague's agenda is refused; "all" is their own.
    EXPECT_EQ(agenda->agenda("demo", subject, {q.from, 7, agents[1], false}).outcome,
              app::Agenda::Outcome::forbidden);
    auto all = agenda->agenda("demo", subject, {core::monday_of(q.from), 7, std::nullopt, false});
    EXPECT_EQ(all.days[2].entries.size(), 4u);
    // A supervisor of no team sees both agents' appointments of Wednesday.
    app::ScopeSubject sup{org.org.id, 99, {"supervisor"}, std::nullopt};
    all = agenda->agenda("demo", sup, {core::monday_of(q.from), 7, std::nullopt, false});
    EXPECT_EQ(all.days[2].entries.size(), 5u);
    EXPECT_EQ(all.days[2].entries[2].agent_name, "Karim Benali");
    // Another organisation's subject gets nothing of this one.
    EXPECT_EQ(agenda->agenda("demo", {org.org.id + 1, 1, {"admin"}, std::nullopt}, q).outcome,
              app::Agenda::Outcome::not_found);
}

TEST(AgendaGrouping, DaysFollowTheLocalZoneAcrossMidnightAndDst) {
    auto paris = core::zone_or_default("Europe/Paris");
    // Sunday 25 October 2026, the night summer time ends in Paris (UTC+2 -> UTC+1).
    auto sunday = *core::parse_ymd("2026-10-25");
    auto at = [&](core::LocalDay d, int minutes) {
        return core::start_of_local_day(d, paris) + minutes * 60;
    };
    std::vector<app::AgendaEntry> entries;
    auto entry = [&](core::Instant t) {
        app::AgendaEntry e;
        e.appointment.starts_at = t;
        e.appointment.ends_at = t + 1800;
        entries.push_back(e);
    };
    entry(at(sunday, 23 * 60 + 45 + 60));  // 23:45 local (the day has 25 hours)
    entry(at(sunday + 1, 5));              // Monday 00:05
    entry(at(sunday - 1, 23 * 60 + 30));   // Saturday 23:30
    entry(at(sunday + 5, 0));              // outside
    auto days = app::group_by_day(entries, paris, sunday - 1, 3);
    ASSERT_EQ(days.size(), 3u);
    EXPECT_EQ(days[0].entries.size(), 1u);
    EXPECT_EQ(days[1].entries.size(), 1u);
    EXPECT_EQ(days[2].entries.size(), 1u);
    EXPECT_EQ(core::local_parts(days[1].entries[0].appointment.starts_at, paris).hour, 23);
}

// --- the calendar feed ---------------------------------------------------------------------

TEST_F(AgendaTest, FeedHasMotifChannelSiteButNoCitizenContact) {
    auto a = agents[0];
    auto soon = add_appointment(a, kWednesday + 86400, 30, store::AppointmentStatus::confirmed,
                                core::Channel::phone);
    add_appointment(a, kWednesday - 20 * 86400);                                     // in the feed
    add_appointment(a, kWednesday - 31 * 86400);                                     // too old
    add_appointment(a, kWednesday + 3600, 30, store::AppointmentStatus::cancelled);  // not live
    add_appointment(agents[1], kWednesday + 7200);  // a colleague's
    auto org_id = org.org.id;
    EXPECT_FALSE(agenda->has_feed(agent1_account, org_id));
    auto token = agenda->create_feed(agent1_account, org_id, "test");
    EXPECT_TRUE(agenda->has_feed(agent1_account, org_id));
    auto ics = agenda->feed(token);
    ASSERT_TRUE(ics);
    for (auto secret :
         {"Zoé", "Citronnier", "zoe.citronnier", "example.fr", "612345678", "+33", "fauteuil"})
        EXPECT_EQ(ics->find(secret), std::string::npos) << secret << "\n" << *ics;
    EXPECT_NE(ics->find(org.motifs.front().name.pick("fr")), std::string::npos);
    EXPECT_NE(ics->find("Téléphone"), std::string::npos);
    EXPECT_NE(ics->find(org.sites.front().name), std::string::npos);
    // The same UID as the messages' .ics.
    notify::Identity id{"inst", "rdv.example.org"};
    EXPECT_NE(ics->find("UID:" + id.calendar_uid(soon)), std::string::npos);
    std::unique_ptr<icalcomponent, void (*)(icalcomponent*)> cal(
        icalparser_parse_string(ics->c_str()), icalcomponent_free);
    ASSERT_TRUE(cal);
    EXPECT_EQ(icalcomponent_count_components(cal.get(), ICAL_VEVENT_COMPONENT), 2);

    // Replaced: the old link stops working; revoked: no link works.
    auto second = agenda->create_feed(agent1_account, org_id, "test");
    EXPECT_FALSE(agenda->feed(token));
    EXPECT_TRUE(agenda->feed(second));
    EXPECT_TRUE(agenda->revoke_feed(agent1_account, org_id, "test"));
    EXPECT_FALSE(agenda->feed(second));
    EXPECT_FALSE(agenda->has_feed(agent1_account, org_id));
    EXPECT_FALSE(agenda->revoke_feed(agent1_account, org_id, "test"));
    EXPECT_FALSE(agenda->feed("not-a-token"));
    EXPECT_FALSE(agenda->feed(app::new_token()));
    // Only the hash is stored.
    db->read([&](store::Session& s) {
        EXPECT_FALSE(s.calendar_feed_by_hash(second));
        EXPECT_FALSE(s.calendar_feed(agent1_account, org_id));
    });
}

// --- teams, language ------------------------------------------------------------------------

TEST_F(AgendaTest, TeamsAreJournalledAndNamesChecked) {
    app::TeamService teams(*service);
    auto org_id = org.org.id;
    auto t = teams.create(org_id, "  Accueil  ", "account:1");
    ASSERT_EQ(t.outcome, app::Outcome::ok);
    EXPECT_EQ(teams.team(org_id, t.team_id)->name, "Accueil");
    EXPECT_EQ(teams.create(org_id, "Accueil", "account:1").error, "agenda.team_name_taken");
    EXPECT_EQ(teams.create(org_id, "   ", "account:1").error, "agenda.team_name_invalid");
    EXPECT_EQ(teams.create(org_id, std::string(81, 'x'), "account:1").error,
              "agenda.team_name_invalid");
    auto u = teams.create(org_id, "Téléphone", "account:1");
    EXPECT_EQ(teams.rename(org_id, u.team_id, "Accueil", "account:1").error,
              "agenda.team_name_taken");
    EXPECT_EQ(teams.rename(org_id, t.team_id, "Accueil nord", "account:1").outcome,
              app::Outcome::ok);
    EXPECT_EQ(teams.set_agent(org_id, t.team_id, agents[1], true, "account:1").outcome,
              app::Outcome::ok);
    // An account that is no supervisor of this organisation cannot supervise a team.
    EXPECT_EQ(teams.set_supervisor(org_id, t.team_id, agent1_account, true, "account:1").outcome,
              app::Outcome::not_found);
    // Another organisation's team id: not found, nothing written.
    EXPECT_EQ(teams.rename(org_id + 1, t.team_id, "X", "account:1").outcome,
              app::Outcome::not_found);
    EXPECT_EQ(teams.remove(org_id, u.team_id, "account:1").outcome, app::Outcome::ok);
    EXPECT_FALSE(teams.team(org_id, u.team_id));
    db->read([&](store::Session& s) {
        auto changes = s.changes(org_id, {"team", "", std::nullopt, std::nullopt, 50});
        ASSERT_EQ(changes.size(), 5u);  // create, create, rename, add agent, delete
        EXPECT_EQ(changes[0].action, "delete");
        EXPECT_EQ(changes[1].action, "update");
        EXPECT_NE(changes[1].after.find("\"agents\":[" + std::to_string(agents[1]) + "]"),
                  std::string::npos);
        EXPECT_NE(changes[2].before.find("Accueil"), std::string::npos);
        EXPECT_NE(changes[2].after.find("Accueil nord"), std::string::npos);
        EXPECT_EQ(changes[4].actor, "account:1");
    });
}

TEST_F(AgendaTest, ConsoleLanguageIsStoredOrCleared) {
    EXPECT_TRUE(agenda->set_language(agent1_account, "nl"));
    db->read([&](store::Session& s) {
        EXPECT_EQ(s.account_by_id(agent1_account)->language, std::optional<std::string>("nl"));
    });
    EXPECT_FALSE(agenda->set_language(agent1_account, "xx"));
    EXPECT_TRUE(agenda->set_language(agent1_account, ""));
    db->read([&](store::Session& s) { EXPECT_FALSE(s.account_by_id(agent1_account)->language); });
}

TEST(IcsCalendar, SeveralEventsOneTimezoneEach) {
    notify::CalendarEvent a, b, c;
    a.uid = "a@x";
    a.start = 1795593600;
    a.end = a.start + 1800;
    a.time_zone = "Europe/Paris";
    a.summary = "A";
    b = a;
    b.uid = "b@x";
    c = a;
    c.uid = "c@x";
    c.time_zone = "Indian/Reunion";
    auto ics = notify::make_ics_calendar({a, b, c}, "Agenda");
    std::unique_ptr<icalcomponent, void (*)(icalcomponent*)> cal(
        icalparser_parse_string(ics.c_str()), icalcomponent_free);
    ASSERT_TRUE(cal);
    EXPECT_EQ(icalcomponent_count_components(cal.get(), ICAL_VEVENT_COMPONENT), 3);
    EXPECT_EQ(icalcomponent_count_components(cal.get(), ICAL_VTIMEZONE_COMPONENT), 2);
    EXPECT_NE(ics.find("X-WR-CALNAME:Agenda"), std::string::npos);
    EXPECT_NE(ics.find("METHOD:PUBLISH"), std::string::npos);
}

// Each render gets only the partials its template uses (mstch parses every partial it is
// given at each render), found through partials of partials.
TEST(TemplatesPartials, NestedPartialsAreFound) {
    auto dir = fs::temp_directory_path() / ("vg-tpl-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir / "x");
    auto write = [&](const std::string& name, const std::string& text) {
        std::ofstream(dir / (name + ".mustache")) << text;
    };
    write("page", "[{{> x/outer }}|{{#items}}{{>x/item}}{{/items}}]");
    write("x/outer", "<{{> x/inner}}>");
    write("x/inner", "in");
    write("x/item", "{{.}};");
    write("x/unused", "{{> nowhere}}");
    text::Templates t;
    t.load(dir.string());
    mstch::map ctx{{"items", mstch::array{std::string("a"), std::string("b")}}};
    EXPECT_EQ(t.render("page", ctx), "[<in>|a;b;]");
    EXPECT_EQ(t.render("x/outer", ctx), "<in>");
    EXPECT_EQ(t.render("x/unused", ctx), "");
    fs::remove_all(dir);
}
