// partner-admin (issue 15, docs/PARTNERS.md): the store's organisation scoping, the
// administration's writes (whole form or nothing, journal), the label's grant and withdrawal,
// the convention notice reminder on a ManualClock (once per term, both sides), and the
// overdue report's e-mail (once per partner and period, both sides, the organisation's day).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "app/accounts.hpp"
#include "app/convention_reminders.hpp"
#include "app/partner_screens.hpp"
#include "app/partners_admin.hpp"
#include "app/report_overdue.hpp"
#include "demo_fixture.hpp"
#include "text/i18n.hpp"

using namespace vg;

namespace {

class PartnersAdminTest : public unit::DemoFixture {
  protected:
    void SetUp() override {
        DemoFixture::SetUp();
        i18n.load(std::string(VG_SOURCE_DIR) + "/locales");
        accounts = std::make_unique<app::AccountService>(*db, *clock, nullptr);
        admin = std::make_unique<app::PartnerAdmin>(*service, accounts.get());
        db->write([&](store::Session& s) {
            store::Organisation o;
            o.slug = "other";
            o.name = "Autre CAF";
            other = s.insert_organisation(o);
        });
    }
    void TearDown() override {
        admin.reset();
        accounts.reset();
        DemoFixture::TearDown();
    }
    core::Id org_id() const { return org.org.id; }
    core::Id partner(core::Id organisation, const std::string& name) {
        auto r = admin->save_partner(
            organisation, std::nullopt,
            {{"name", name}, {"town", "Lille"}, {"responsible_email", "resp@partner.test"}},
            "test");
        EXPECT_TRUE(r.ok());
        return r.id;
    }
    int changes(const std::string& type) {
        int n = 0;
        db->read([&](store::Session& s) {
            store::ChangeFilter f;
            f.object_type = type;
            n = int(s.changes(org_id(), f).size());
        });
        return n;
    }
    std::vector<store::OutboxRow> notices() {
        std::vector<store::OutboxRow> out;
        db->read([&](store::Session& s) {
            for (auto& r : s.outbox(org_id(), "pending", 100))
                if (r.kind == "partner_notice") out.push_back(r);
        });
        return out;
    }

    std::vector<store::OutboxRow> overdue_mails(core::Id organisation) {
        std::vector<store::OutboxRow> out;
        db->read([&](store::Session& s) {
            for (auto& r : s.outbox(organisation, "pending", 100))
                if (r.kind == "partner_overdue") out.push_back(r);
        });
        return out;
    }
    // The enabled administrators of an organisation (the partner managers).
    int admins_of(core::Id organisation) {
        int n = 0;
        db->read([&](store::Session& s) {
            for (auto& a : s.accounts(organisation))
                for (auto& m : s.memberships(a.id))
                    if (m.organisation_id == organisation && m.role == "admin" && !a.disabled_at &&
                        !a.email.empty())
                        ++n;
        });
        return n;
    }
    // The periods the partner's home flags overdue now.
    std::vector<std::string> flagged(core::Id organisation, core::Id id) {
        app::PartnerScreens screens(*service);
        std::vector<std::string> out;
        auto home = screens.home(organisation, id);
        EXPECT_TRUE(home);
        if (home)
            for (auto& d : home->due)
                if (d.overdue) out.push_back(d.period.label());
        return out;
    }
    void at(const char* iso) { clock->set(*core::parse_iso8601(iso)); }

    text::I18n i18n;
    std::unique_ptr<app::AccountService> accounts;
    std::unique_ptr<app::PartnerAdmin> admin;
    core::Id other = 0;
};

TEST_F(PartnersAdminTest, ReadsAreScopedToTheOrganisation) {
    auto mine = partner(org_id(), "Mairie de Lille");
    auto theirs = partner(other, "Mairie de Lille");  // the same name elsewhere is fine
    EXPECT_TRUE(admin->partner(org_id(), mine));
    EXPECT_FALSE(admin->partner(org_id(), theirs));
    EXPECT_EQ(admin->partners(org_id()).size(), 1u);
    // A site, a convention, an edit through another organisation's id: not found, nothing
    // written.
    auto r = admin->save_site(org_id(), theirs, std::nullopt, {{"name", "Accueil"}}, "test");
    EXPECT_TRUE(r.not_found);
    r = admin->grant_label(org_id(), theirs, {{"signed_on", "2026-01-15"}}, "test");
    EXPECT_TRUE(r.not_found);
    r = admin->save_partner(org_id(), theirs, {{"name", "X"}}, "test");
    EXPECT_TRUE(r.not_found);
    auto site = admin->save_site(other, theirs, std::nullopt,
                                 {{"name", "Accueil"}, {"time_zone", "Europe/Paris"}}, "test");
    ASSERT_TRUE(site.ok());
    r = admin->save_site(org_id(), mine, site.id, {{"name", "Pris"}}, "test");
    EXPECT_TRUE(r.not_found);
    db->read([&](store::Session& s) {
        EXPECT_FALSE(s.partner_site(org_id(), site.id));
        EXPECT_EQ(s.partner_site(other, site.id)->name, "Accueil");
        EXPECT_TRUE(s.partner_sites(org_id(), std::nullopt).empty());
    });
}

TEST_F(PartnersAdminTest, RefusedFormsWriteNothing) {
    auto id = partner(org_id(), "Centre social");
    int before = changes("partner");
    auto r = admin->save_partner(org_id(), std::nullopt, {{"name", "Centre social"}}, "test");
    EXPECT_EQ(r.errors.at("name"), "partners_admin.error_name_taken");
    r = admin->save_partner(org_id(), id, {{"name", ""}, {"responsible_email", "nope"}}, "test");
    EXPECT_EQ(r.errors.at("name"), "admin.error_required");
    EXPECT_EQ(r.errors.at("responsible_email"), "admin.error_email");
    auto g = admin->grant_label(
        org_id(), id,
        {{"signed_on", "2026-02-30"}, {"term_months", "0"}, {"reporting_period", "week"}}, "test");
    EXPECT_EQ(g.errors.at("signed_on"), "admin.error_date");
    EXPECT_EQ(g.errors.at("term_months"), "admin.error_range");
    EXPECT_EQ(g.errors.at("reporting_period"), "admin.error_invalid");
    auto s = admin->save_site(org_id(), id, std::nullopt,
                              {{"name", "Accueil"}, {"time_zone", "Mars/Olympus"}}, "test");
    EXPECT_EQ(s.errors.at("time_zone"), "admin.error_zone");
    EXPECT_EQ(changes("partner"), before);
    EXPECT_EQ(changes("convention"), 0);
    EXPECT_EQ(changes("partner_site"), 0);
    EXPECT_EQ(admin->partner(org_id(), id)->label, "none");
}

TEST_F(PartnersAdminTest, GrantThenWithdrawEndsTheConvention) {
    auto id = partner(org_id(), "Médiathèque");
    auto g = admin->grant_label(org_id(), id,
                                {{"signed_on", "2026-03-15"},
                                 {"reporting_period", "quarter"},
                                 {"option_video_desk", "1"},
                                 {"director_name", "C. Directrice"}},
                                "account:1");
    ASSERT_TRUE(g.ok());
    auto v = *admin->partner(org_id(), id);
    EXPECT_EQ(v.label, "granted");
    ASSERT_TRUE(v.term);
    EXPECT_EQ(core::format_ymd(v.term->last_day), "2027-03-14");
    EXPECT_EQ(v.convention->reporting_period, "quarter");
    EXPECT_TRUE(v.convention->option_video_desk);
    // A second grant while it holds is refused.
    EXPECT_EQ(
        admin->grant_label(org_id(), id, {{"signed_on", "2026-04-01"}}, "x").errors.at("signed_on"),
        "partners_admin.error_grant_live");
    // The action plan.
    auto a = admin->add_action(
        org_id(), id,
        {{"item", "Afficher le certificat"}, {"owner", "Accueil"}, {"due_on", "2026-12-31"}}, "x");
    ASSERT_TRUE(a.ok());
    EXPECT_TRUE(admin->set_action_done(org_id(), id, a.id, true, "x").ok());
    EXPECT_TRUE(admin->set_action_done(other, id, a.id, true, "x").not_found);
    // Withdrawal needs a ground and a reason.
    auto w = admin->withdraw_label(org_id(), id, {{"ground", "commitment"}}, "x");
    EXPECT_EQ(w.errors.at("reason"), "admin.error_required");
    EXPECT_EQ(admin->partner(org_id(), id)->label, "granted");
    w = admin->withdraw_label(
        org_id(), id, {{"ground", "dissatisfaction"}, {"reason", "Plaintes répétées"}}, "x");
    ASSERT_TRUE(w.ok());
    v = *admin->partner(org_id(), id);
    EXPECT_EQ(v.label, "withdrawn");
    ASSERT_TRUE(v.convention->ended_on);
    EXPECT_EQ(core::format_ymd(*v.convention->ended_on), "2026-11-25");
    EXPECT_EQ(v.convention->end_reason, "withdrawn");
    EXPECT_EQ(v.last_label->reason, "dissatisfaction: Plaintes répétées");
    EXPECT_EQ(changes("label"), 2);
    // Withdrawn again: refused; a new grant is allowed.
    EXPECT_FALSE(
        admin->withdraw_label(org_id(), id, {{"ground", "commitment"}, {"reason", "r"}}, "x").ok());
    EXPECT_TRUE(admin->grant_label(org_id(), id, {{"signed_on", "2026-11-25"}}, "x").ok());
    EXPECT_EQ(admin->partner(org_id(), id)->label, "granted");
}

TEST_F(PartnersAdminTest, PartnerRoleNamesThePartnerOfItsOrganisation) {
    auto mine = partner(org_id(), "France Services");
    auto theirs = partner(other, "France Services");
    EXPECT_THROW(accounts->add_member("demo", "p@partner.test", "partner", "", "t"),
                 app::AccountError);
    EXPECT_THROW(accounts->add_member("demo", "p@partner.test", "partner", "", "t", theirs),
                 app::AccountError);
    EXPECT_THROW(accounts->add_member("demo", "p@partner.test", "agent", "", "t", mine),
                 app::AccountError);
    auto a = accounts->add_member("demo", "p@partner.test", "partner", "", "t", mine);
    db->read([&](store::Session& s) {
        auto ms = s.memberships(a.id);
        ASSERT_EQ(ms.size(), 1u);
        EXPECT_EQ(ms[0].partner_id, mine);
        EXPECT_EQ(s.partner_staff(org_id(), mine).size(), 1u);
        EXPECT_TRUE(s.partner_staff(other, std::nullopt).empty());
    });
}

TEST_F(PartnersAdminTest, NoticeReminderOnceAtTheWindowToBothSides) {
    // Signed 15 March 2026: the term ends 14 March 2027, notice until 15 December 2026, the
    // reminder window opens on 1 December 2026 (Paris).
    auto id = partner(org_id(), "Mairie d'Arras");
    ASSERT_TRUE(admin
                    ->grant_label(org_id(), id,
                                  {{"signed_on", "2026-03-15"},
                                   {"responsible_email", "direction@arras.test"},
                                   {"responsible_name", "Dominique"}},
                                  "x")
                    .ok());
    accounts->add_member("demo", "chef@demo.test", "admin", "Chef", "t");
    app::ConventionReminders reminders(*db, i18n, *clock, "https://rdv.test");
    clock->set(*core::parse_iso8601("2026-11-30T22:59:00Z"));  // 23:59 on 30 November in Paris
    EXPECT_EQ(reminders.queue_due(), 0);
    clock->set(*core::parse_iso8601("2026-11-30T23:00:00Z"));  // midnight, 1 December
    int admins = 0;
    db->read([&](store::Session& s) {
        for (auto& a : s.accounts(org_id()))
            for (auto& m : s.memberships(a.id))
                if (m.organisation_id == org_id() && m.role == "admin" && !a.disabled_at) ++admins;
    });
    EXPECT_EQ(reminders.queue_due(), admins + 1);
    auto rows = notices();
    ASSERT_EQ(int(rows.size()), admins + 1);
    bool partner_side = false;
    for (auto& r : rows) {
        auto p = nlohmann::json::parse(r.payload);
        if (p["to"] == "direction@arras.test") {
            partner_side = true;
            EXPECT_EQ(p["link"], "https://rdv.test/partner/");
            EXPECT_NE(p["intro"].get<std::string>().find("15 décembre 2026"), std::string::npos)
                << p["intro"];
            EXPECT_NE(p["subject"].get<std::string>().find("Mairie d'Arras"), std::string::npos);
        }
    }
    EXPECT_TRUE(partner_side);
    // Later in the window, or another run: nothing again.
    clock->advance(86400 * 3);
    EXPECT_EQ(reminders.queue_due(), 0);
    EXPECT_EQ(int(notices().size()), admins + 1);
    // After the deadline: nothing; a year later the renewed term has its own reminder.
    clock->set(*core::parse_iso8601("2026-12-20T10:00:00Z"));
    EXPECT_EQ(reminders.queue_due(), 0);
    clock->set(*core::parse_iso8601("2027-12-05T10:00:00Z"));
    EXPECT_EQ(reminders.queue_due(), admins + 1);
}

TEST_F(PartnersAdminTest, NoReminderForAnEndedConvention) {
    auto id = partner(org_id(), "Maison de quartier");
    ASSERT_TRUE(admin->grant_label(org_id(), id, {{"signed_on", "2026-03-15"}}, "x").ok());
    ASSERT_TRUE(
        admin->withdraw_label(org_id(), id, {{"ground", "indicators"}, {"reason", "r"}}, "x").ok());
    app::ConventionReminders reminders(*db, i18n, *clock, "https://rdv.test");
    clock->set(*core::parse_iso8601("2026-12-02T10:00:00Z"));
    EXPECT_EQ(reminders.queue_due(), 0);
}

// --- The overdue report's e-mail (docs/PARTNERS.md "Overdue reports") ---------------------

TEST_F(PartnersAdminTest, OverdueReportOnceToBothSidesAtTheOrganisationsMidnight) {
    // Monthly reports from November 2026: November's is due by 10 December, included; it is
    // overdue from midnight on 11 December in Paris (23:00 UTC on the 10th).
    auto id = partner(org_id(), "Mairie d'Arras");
    auto neighbour = partner(org_id(), "Centre social");  // no convention: owes nothing
    ASSERT_TRUE(admin
                    ->grant_label(org_id(), id,
                                  {{"signed_on", "2026-11-02"}, {"reporting_period", "month"}}, "x")
                    .ok());
    accounts->add_member("demo", "chef@demo.test", "admin", "Chef", "t");
    auto helper = accounts->add_member("demo", "aide@arras.test", "partner", "Aide", "t", id);
    auto gone = accounts->add_member("demo", "parti@arras.test", "partner", "", "t", id);
    accounts->add_member("demo", "aide@centre.test", "partner", "", "t", neighbour);
    db->write([&](store::Session& s) { s.set_account_disabled(gone.id, clock->now()); });
    int admins = admins_of(org_id());
    ASSERT_GT(admins, 0);
    app::ReportOverdue overdue(*db, i18n, *clock, "https://rdv.test");
    int woken = 0;
    overdue.on_messages_queued([&] { ++woken; });
    at("2026-12-10T22:59:00Z");  // 23:59 on 10 December in Paris: still in time
    EXPECT_EQ(overdue.queue_due(), 0);
    EXPECT_TRUE(flagged(org_id(), id).empty());
    at("2026-12-10T23:00:00Z");  // midnight, 11 December in Paris (still the 10th in UTC)
    EXPECT_EQ(flagged(org_id(), id), std::vector<std::string>{"2026-11"});
    EXPECT_EQ(overdue.queue_due(), admins + 1);
    EXPECT_EQ(woken, 1);
    auto rows = overdue_mails(org_id());
    ASSERT_EQ(int(rows.size()), admins + 1);
    int staff = 0, managers = 0;
    for (auto& r : rows) {
        auto p = nlohmann::json::parse(r.payload);
        auto subject = p["subject"].get<std::string>();
        auto intro = p["intro"].get<std::string>();
        EXPECT_EQ(p["period"], "2026-11");
        EXPECT_EQ(p["partner_id"], id);
        EXPECT_NE(subject.find("2026-11"), std::string::npos) << subject;
        EXPECT_NE(subject.find("Mairie d'Arras"), std::string::npos) << subject;
        EXPECT_NE(intro.find("10 décembre 2026"), std::string::npos) << intro;
        EXPECT_NE(intro.find("30 novembre 2026"), std::string::npos) << intro;
        EXPECT_NE(p["to"], "parti@arras.test");
        EXPECT_NE(p["to"], "aide@centre.test");
        if (p["to"] == "aide@arras.test") {
            ++staff;
            EXPECT_EQ(p["link"], "https://rdv.test/partner/reports/2026-11");
            EXPECT_EQ(r.idempotency_key,
                      "partner_overdue:" + std::to_string(id) +
                          ":2026-11:partner:account:" + std::to_string(helper.id));
        } else {
            ++managers;
            EXPECT_EQ(p["link"], "https://rdv.test/console/partners/" + std::to_string(id));
        }
    }
    EXPECT_EQ(staff, 1);
    EXPECT_EQ(managers, admins);
    // Another run, the next days: nothing again; the guard row is there.
    EXPECT_EQ(overdue.queue_due(), 0);
    at("2026-12-20T09:00:00Z");
    EXPECT_EQ(overdue.queue_due(), 0);
    EXPECT_EQ(int(overdue_mails(org_id()).size()), admins + 1);
    EXPECT_EQ(woken, 1);
    db->write([&](store::Session& s) { EXPECT_FALSE(s.claim_report_overdue(id, "2026-11")); });
    // December's report, overdue in its turn, has its own e-mail.
    at("2027-01-10T22:59:00Z");
    EXPECT_EQ(overdue.queue_due(), 0);
    at("2027-01-10T23:00:00Z");
    EXPECT_EQ(overdue.queue_due(), admins + 1);
    EXPECT_EQ(int(overdue_mails(org_id()).size()), 2 * (admins + 1));
}

TEST_F(PartnersAdminTest, OverdueQuarterFollowsTheOrganisationsZoneAndLanguages) {
    // An organisation in La Réunion (UTC+4): the fourth quarter's report, due by 10 January,
    // is overdue from 20:00 UTC on 10 January; the site's own zone does not move it (the
    // home's flag and the late mark follow the organisation's calendar day too).
    core::Id reunion = 0;
    db->write([&](store::Session& s) {
        store::Organisation o;
        o.slug = "reunion";
        o.name = "CAF de La Réunion";
        o.default_time_zone = "Indian/Reunion";
        o.languages = {"fr", "en"};
        reunion = s.insert_organisation(o);
    });
    auto id = partner(reunion, "Case de Saint-Paul");
    ASSERT_TRUE(admin
                    ->save_site(reunion, id, std::nullopt,
                                {{"name", "Accueil"}, {"time_zone", "America/Cayenne"}}, "x")
                    .ok());
    ASSERT_TRUE(admin
                    ->grant_label(reunion, id,
                                  {{"signed_on", "2026-10-05"}, {"reporting_period", "quarter"}},
                                  "x")
                    .ok());
    auto boss = accounts->add_member("reunion", "chef@reunion.test", "admin", "Chef", "t");
    db->write([&](store::Session& s) { s.set_account_language(boss.id, "en"); });
    accounts->add_member("reunion", "aide@case.test", "partner", "", "t", id);
    app::ReportOverdue overdue(*db, i18n, *clock, "https://rdv.test");
    at("2027-01-10T19:59:00Z");  // 23:59 in La Réunion (16:59 in Cayenne)
    EXPECT_EQ(overdue.queue_due(), 0);
    EXPECT_TRUE(flagged(reunion, id).empty());
    at("2027-01-10T20:00:00Z");  // midnight, 11 January in La Réunion
    EXPECT_EQ(flagged(reunion, id), std::vector<std::string>{"2026-Q4"});
    EXPECT_EQ(overdue.queue_due(), 2);
    auto rows = overdue_mails(reunion);
    ASSERT_EQ(rows.size(), 2u);
    for (auto& r : rows) {
        auto p = nlohmann::json::parse(r.payload);
        EXPECT_EQ(p["period"], "2026-Q4");
        auto intro = p["intro"].get<std::string>();
        if (p["to"] == "chef@reunion.test") {
            EXPECT_EQ(p["lang"], "en");  // the manager's console language
            EXPECT_NE(intro.find("2026-Q4"), std::string::npos) << intro;
            EXPECT_NE(intro.find("submitted by"), std::string::npos) << intro;
        } else {
            EXPECT_EQ(p["to"], "aide@case.test");
            EXPECT_EQ(p["lang"], "fr");  // the organisation's first language
            EXPECT_NE(intro.find("31 décembre 2026"), std::string::npos) << intro;
            EXPECT_EQ(p["link"], "https://rdv.test/partner/reports/2026-Q4");
        }
    }
}

TEST_F(PartnersAdminTest, NoOverdueMailForAnEndedConventionOrAWithdrawnLabel) {
    auto withdrawn = partner(org_id(), "Maison de quartier");
    auto noticed = partner(org_id(), "Bibliothèque");
    auto live = partner(org_id(), "Mairie");
    for (auto id : {withdrawn, noticed, live}) {
        ASSERT_TRUE(admin->grant_label(org_id(), id, {{"signed_on", "2026-11-02"}}, "x").ok());
        accounts->add_member("demo", "aide" + std::to_string(id) + "@partner.test", "partner", "",
                             "t", id);
    }
    ASSERT_TRUE(
        admin->withdraw_label(org_id(), withdrawn, {{"ground", "indicators"}, {"reason", "r"}}, "x")
            .ok());
    db->write([&](store::Session& s) {
        auto c = s.latest_convention(org_id(), noticed);
        ASSERT_TRUE(s.end_convention(org_id(), c->id, *core::parse_ymd("2026-11-30"), "notice"));
    });
    // A convention written without its label's grant (no label event): the label does not
    // hold, nothing is owed.
    auto unlabelled = partner(org_id(), "Association");
    accounts->add_member("demo", "aide@association.test", "partner", "", "t", unlabelled);
    db->write([&](store::Session& s) {
        store::Convention c;
        c.partner_id = unlabelled;
        c.organisation_id = org_id();
        c.signed_on = *core::parse_ymd("2026-11-02");
        c.created_by = "test";
        s.insert_convention(c);
    });
    app::ReportOverdue overdue(*db, i18n, *clock, "https://rdv.test");
    at("2026-12-15T10:00:00Z");
    // Only the live one's: its staff and the managers.
    EXPECT_EQ(overdue.queue_due(), admins_of(org_id()) + 1);
    for (auto& r : overdue_mails(org_id()))
        EXPECT_EQ(nlohmann::json::parse(r.payload)["partner_id"], live);
    // Its convention ends in turn: January's run sends nothing for December.
    db->write([&](store::Session& s) {
        auto c = s.latest_convention(org_id(), live);
        ASSERT_TRUE(s.end_convention(org_id(), c->id, *core::parse_ymd("2026-12-31"), "notice"));
    });
    at("2027-01-15T10:00:00Z");
    EXPECT_EQ(overdue.queue_due(), 0);
}

TEST_F(PartnersAdminTest, NoOverdueMailForAReportSubmitted) {
    auto id = partner(org_id(), "France Services");
    ASSERT_TRUE(admin->grant_label(org_id(), id, {{"signed_on", "2026-11-02"}}, "x").ok());
    accounts->add_member("demo", "aide@fs.test", "partner", "", "t", id);
    app::PartnerScreens screens(*service);
    app::ReportOverdue overdue(*db, i18n, *clock, "https://rdv.test");
    // November's report submitted on its last day: nothing on 11 December.
    at("2026-11-30T10:00:00Z");
    ASSERT_TRUE(screens.submit_report(org_id(), id, std::nullopt, "2026-11", "").ok());
    at("2026-12-11T10:00:00Z");
    EXPECT_EQ(overdue.queue_due(), 0);
    // December's submitted late, but before the job's first run after its deadline: nothing.
    at("2027-01-12T10:00:00Z");
    ASSERT_TRUE(screens.submit_report(org_id(), id, std::nullopt, "2026-12", "").ok());
    EXPECT_EQ(overdue.queue_due(), 0);
    EXPECT_TRUE(overdue_mails(org_id()).empty());
}

TEST_F(PartnersAdminTest, OverdueBacklogSendsOnlyTheNewestPeriod) {
    // Signed in March: on 25 November the reports of March to October are all overdue; the
    // first run writes about October's only (the home lists them all).
    auto id = partner(org_id(), "Espace de vie sociale");
    ASSERT_TRUE(admin->grant_label(org_id(), id, {{"signed_on", "2026-03-15"}}, "x").ok());
    accounts->add_member("demo", "aide@evs.test", "partner", "", "t", id);
    EXPECT_EQ(flagged(org_id(), id).size(), 8u);
    app::ReportOverdue overdue(*db, i18n, *clock, "https://rdv.test");
    EXPECT_EQ(overdue.queue_due(), admins_of(org_id()) + 1);
    for (auto& r : overdue_mails(org_id()))
        EXPECT_EQ(nlohmann::json::parse(r.payload)["period"], "2026-10");
    EXPECT_EQ(overdue.queue_due(), 0);
}

// The members page's role boxes (agent, supervisor, admin) leave the partner role alone.
TEST_F(PartnersAdminTest, MembersPageRolesKeepThePartnerRole) {
    auto mine = partner(org_id(), "Bibliothèque");
    auto a = accounts->add_member("demo", "b@partner.test", "partner", "", "t", mine);
    app::Administration administration(*service, accounts.get());
    ASSERT_TRUE(administration.set_roles(org_id(), a.id, {"supervisor"}, "t", 0).ok());
    std::vector<std::string> roles;
    db->read([&](store::Session& s) {
        for (auto& m : s.memberships(a.id)) roles.push_back(m.role);
    });
    EXPECT_EQ(roles, (std::vector<std::string>{"partner", "supervisor"}));
}

}  // namespace

// The store's bind and read helpers of the partner tables (sqlite_partners.cpp,
// sqlite_partner_screens.cpp): every edited column written by INSERT and again by UPDATE
// reads back as written; two visits keep each their own cells and themes.
TEST_F(PartnersAdminTest, PartnerRowsReadBackAsWrittenAndEdited) {
    store::Partner p{0, org_id(),    "Mairie", "Lille", "Anne Responsable", "anne@mairie.test",
                     0, std::nullopt};
    store::PartnerSite x;
    store::Convention c;
    db->write([&](store::Session& s) {
        p.id = s.insert_partner(p);
        x = {0,       p.id,           org_id(), "Accueil", "1 place",     "59000",
             "Lille", "Europe/Paris", "Rampe",  true,      "Deux postes", true,
             0,       std::nullopt};
        x.id = s.insert_partner_site(x);
        c.partner_id = p.id;
        c.organisation_id = org_id();
        c.signed_on = 20000;
        c.term_months = 24;
        c.reporting_period = "quarter";
        c.option_video_desk = true;
        c.responsible_name = "Paul";
        c.responsible_email = "paul@caf.test";
        c.director_name = "La directrice";
        c.committee_on = 20010;
        c.visit_findings = "RAS";
        c.created_by = "test";
        c.id = s.insert_convention(c);
    });
    auto check = [&] {
        db->read([&](store::Session& s) {
            auto rp = s.partner(org_id(), p.id);
            ASSERT_TRUE(rp);
            EXPECT_EQ(std::tie(rp->name, rp->town, rp->responsible_name, rp->responsible_email),
                      std::tie(p.name, p.town, p.responsible_name, p.responsible_email));
            auto rx = s.partner_site(org_id(), x.id);
            ASSERT_TRUE(rx);
            EXPECT_EQ(std::tie(rx->name, rx->address, rx->postcode, rx->town, rx->timezone,
                               rx->accessibility, rx->step_free, rx->equipment, rx->video_desk),
                      std::tie(x.name, x.address, x.postcode, x.town, x.timezone, x.accessibility,
                               x.step_free, x.equipment, x.video_desk));
            auto rc = s.convention(org_id(), c.id);
            ASSERT_TRUE(rc);
            EXPECT_EQ(
                std::tie(rc->signed_on, rc->term_months, rc->reporting_period,
                         rc->option_video_desk, rc->option_visio, rc->responsible_name,
                         rc->responsible_email, rc->director_name, rc->committee_on, rc->visit_on,
                         rc->visit_findings, rc->created_by),
                std::tie(c.signed_on, c.term_months, c.reporting_period, c.option_video_desk,
                         c.option_visio, c.responsible_name, c.responsible_email, c.director_name,
                         c.committee_on, c.visit_on, c.visit_findings, c.created_by));
        });
    };
    check();
    db->write([&](store::Session& s) {
        p = {p.id, org_id(), "Mairie annexe", "Roubaix", "Bea", "bea@mairie.test", 0, std::nullopt};
        EXPECT_TRUE(s.update_partner(p));
        x = {x.id, p.id,  org_id(), "Accueil 2", "2 rue", "59100",     "Roubaix", "Europe/Brussels",
             "",   false, "",       false,       0,       std::nullopt};
        EXPECT_TRUE(s.update_partner_site(x));
        c.term_months = 12;
        c.reporting_period = "month";
        c.option_video_desk = false;
        c.option_visio = true;
        c.responsible_name = "Luc";
        c.responsible_email = "luc@caf.test";
        c.director_name = "Le directeur";
        c.committee_on.reset();
        c.visit_on = 20020;
        c.visit_findings = "Deux actions";
        EXPECT_TRUE(s.update_convention(c));
    });
    check();
    // Two visits, each with its own cells and themes.
    db->write([&](store::Session& s) {
        store::PartnerVisit v;
        v.partner_site_id = x.id;
        v.partner_id = p.id;
        v.organisation_id = org_id();
        v.day = 20030;
        v.visit.cells = {{core::Request::simulation, core::Action::information}};
        v.visit.themes = {core::Theme::housing_living};
        s.insert_partner_visit(v);
        v.day = 20031;
        v.visit.cells = {{core::Request::benefit_claim, core::Action::referral},
                         {core::Request::simulation, core::Action::writing_help}};
        v.visit.themes = {};
        s.insert_partner_visit(v);
    });
    db->read([&](store::Session& s) {
        auto visits = s.partner_visits(org_id(), p.id, 20030, 20031);
        ASSERT_EQ(visits.size(), 2u);
        EXPECT_EQ(visits[0].visit.cells.size(), 1u);
        EXPECT_EQ(visits[0].visit.themes, std::set<core::Theme>{core::Theme::housing_living});
        EXPECT_EQ(visits[1].visit.cells.size(), 2u);
        EXPECT_TRUE(visits[1].visit.themes.empty());
        EXPECT_EQ(s.partner_visits(org_id(), p.id, 20031, 20031).size(), 1u);
    });
}
