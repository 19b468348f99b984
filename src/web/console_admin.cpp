// The organisation's administration pages (/console/admin/...): every page for the
// organisation's administrators only (StaffGate, role "admin"); every write goes through
// app::Administration (validation, one transaction with its change-journal entry,
// configuration_changed). A refused form comes back with 422 and the messages in the page's
// language, nothing written.
#include "web/console_admin.hpp"

#include <date/tz.h>

#include <nlohmann/json.hpp>

#include "app/administration.hpp"
#include "core/holidays.hpp"
#include "core/phone.hpp"
#include "core/placeholders.hpp"
#include "core/timefmt.hpp"
#include "http/multipart.hpp"
#include "notify/composer.hpp"
#include "text/i18n.hpp"

namespace vg::web {

using http::Request;
using http::Response;
using nlohmann::json;

namespace {

const char* kLanguageNames[][2] = {
    {"fr", "Français"}, {"en", "English"}, {"nl", "Nederlands"}, {"de", "Deutsch"}};

class AdminPages {
  public:
    explicit AdminPages(std::shared_ptr<StaffGate> gate)
        : gate_(std::move(gate)), ctx_(gate_->context()), admin_(ctx_.booking, ctx_.accounts) {}

    template <class F>
    Response get(const Request& req, F f) {
        return gate_->with_staff(req, {"admin"}, [&](Staff& staff) {
            Page page(ctx_, req, nullptr, staff.current.account.language);
            return f(staff, page);
        });
    }
    template <class F>
    Response post(const Request& req, F f) {
        auto form = http::parse_urlencoded(req.body);
        return gate_->post_with_staff(req, form, {"admin"}, [&](Staff& staff) {
            Page page(ctx_, req, nullptr, staff.current.account.language);
            return f(staff, page, form_fields(form), form);
        });
    }

    // --- shared page pieces --------------------------------------------------------------

    Response render(Page& page, const Staff& staff, int status, const std::string& tpl,
                    const std::string& title_key, const std::string& section) {
        admin_navigation(page, staff, section);
        return page.render(status, "admin/" + tpl, page.t(title_key));
    }

    // Values of the form (f_<name>, on_<name> for check boxes) and its refusals.
    static void fill(Page& page, const app::Fields& f, const core::FieldErrors& errors) {
        auto& d = page.data();
        for (auto& [k, v] : f) {
            d["f_" + k] = v;
            d["on_" + k] = v == "1" || v == "on";
        }
        mstch::array list;
        for (auto& [field, key] : errors) {
            auto msg = page.t(key);
            d["error_" + field] = msg;
            // name_fr: "Name (Français)".
            auto label = page.t("admin.field_" + field);
            for (auto& [code, language] : kLanguageNames)
                if (field.size() > 3 && field.ends_with("_" + std::string(code)))
                    label = page.t("admin.field_" + field.substr(0, field.size() - 3)) + " (" +
                            language + ")";
            list.push_back(mstch::map{{"field", field}, {"label", label}, {"message", msg}});
        }
        if (!list.empty()) {
            d["errors"] = list;
            d["has_errors"] = true;
        }
    }

    // One input per language for a localised field: <base>_<lang>.
    static mstch::array local_rows(Page& page, const app::Fields& f,
                                   const core::FieldErrors& errors, const std::string& base,
                                   bool required) {
        mstch::array rows;
        for (auto& [code, name] : kLanguageNames) {
            auto field = base + "_" + code;
            auto it = f.find(field);
            auto err = errors.find(field);
            mstch::map row{{"field", field},
                           {"code", std::string(code)},
                           {"language", std::string(name)},
                           {"label", page.t("admin.field_" + base)},
                           {"value", it == f.end() ? std::string() : it->second},
                           {"required", required && std::string(code) == "fr"}};
            if (err != errors.end()) row["error"] = page.t(err->second);
            rows.push_back(row);
        }
        return rows;
    }

    static void local_fields(app::Fields& f, const std::string& base, const store::LocalText& t) {
        for (auto& [lang, v] : t.by_lang) f[base + "_" + lang] = v;
    }

    std::shared_ptr<const app::OrgData> org_data(const Staff& staff) {
        return ctx_.booking.organisation(staff.organisation_slug);
    }

    // --- index and settings ------------------------------------------------------------

    Response index(Request& req) {
        return get(req, [&](Staff& staff, Page& page) {
            return render(page, staff, 200, "index", "admin.title", "");
        });
    }

    app::Fields settings_fields(const store::Organisation& o) {
        app::Fields f{{"name", o.name},
                      {"time_zone", o.default_time_zone},
                      {"sender_email", o.sender_email},
                      {"reply_to", o.reply_to},
                      {"mediation_contact", o.mediation_contact},
                      {"brand_colour", o.brand_colour},
                      {"no_show_delay", std::to_string(o.no_show_delay_minutes)},
                      {"retention_days", std::to_string(o.retention_days)},
                      {"room_opens_minutes", std::to_string(o.room_opens_minutes)},
                      {"room_margin_minutes", std::to_string(o.room_margin_minutes)},
                      {"camera_required", o.camera_required ? "1" : ""},
                      {"document_retention_days", std::to_string(o.document_retention_days)}};
        for (auto& l : o.languages) f["lang_" + l] = "1";
        return f;
    }

    Response settings_page(Page& page, const Staff& staff, const app::Fields& f,
                           const core::FieldErrors& errors, int status) {
        fill(page, f, errors);
        mstch::array langs;
        for (auto& [code, name] : kLanguageNames) {
            auto it = f.find("lang_" + std::string(code));
            langs.push_back(mstch::map{{"code", std::string(code)},
                                       {"name", std::string(name)},
                                       {"checked", it != f.end() && it->second == "1"}});
        }
        page.data()["language_choices"] = langs;
        return render(page, staff, status, "settings", "admin.settings_title", "settings");
    }

    Response settings(Request& req) {
        return get(req, [&](Staff& staff, Page& page) {
            std::optional<store::Organisation> o;
            ctx_.booking.store().read(
                [&](store::Session& s) { o = s.organisation_by_id(staff.organisation_id); });
            if (!o) return gate_->not_found(req);
            if (req.q("saved")) page.data()["saved"] = true;
            return settings_page(page, staff, settings_fields(*o), {}, 200);
        });
    }

    Response save_settings(Request& req) {
        return post(req, [&](Staff& staff, Page& page, const app::Fields& f, const http::Params&) {
            auto r = admin_.update_settings(staff.organisation_id, f, staff.actor());
            if (r.not_found) return gate_->not_found(req);
            if (!r.ok()) return settings_page(page, staff, f, r.errors, 422);
            return Response::redirect("/console/admin/settings?saved=1");
        });
    }

    // --- change journal --------------------------------------------------------------------

    Response journal(Request& req) {
        return get(req, [&](Staff& staff, Page& page) {
            auto data = org_data(staff);
            const date::time_zone* zone = data ? data->default_zone() : core::zone_or_default("");
            store::ChangeFilter filter;
            filter.object_type = req.q("type").value_or("");
            filter.actor = req.q("actor").value_or("");
            core::FieldErrors errors;
            app::Fields f{{"type", filter.object_type}, {"actor", filter.actor}};
            for (auto [name, target] : {std::pair{"from", &filter.from}, {"to", &filter.to}}) {
                auto v = req.q(name).value_or("");
                f[name] = v;
                if (v.empty()) continue;
                auto day = core::parse_ymd(v);
                if (!day) {
                    errors[name] = "admin.error_date";
                    continue;
                }
                // "to" includes its whole day.
                *target =
                    core::start_of_local_day(*day + (std::string(name) == "to" ? 1 : 0), zone);
            }
            if (filter.object_type.size() > 40 || filter.actor.size() > 40)
                errors["type"] = "admin.error_invalid";
            std::vector<store::ConfigChange> changes;
            std::vector<store::Account> people;
            if (errors.empty())
                ctx_.booking.store().read([&](store::Session& s) {
                    changes = s.changes(staff.organisation_id, filter);
                    people = s.accounts(staff.organisation_id);
                });
            else
                ctx_.booking.store().read(
                    [&](store::Session& s) { people = s.accounts(staff.organisation_id); });
            fill(page, f, errors);
            auto name_of = [&](const std::string& actor) -> std::string {
                for (auto& p : people)
                    if (actor == "account:" + std::to_string(p.id))
                        return p.display_name.empty() ? p.email
                                                      : p.display_name + " <" + p.email + ">";
                return actor;
            };
            // The partners' objects have their names in partners_admin.json.
            auto type_label = [&](const std::string& t) {
                for (auto p :
                     {"partner", "partner_site", "convention", "convention_action", "label"})
                    if (t == p) return page.t("partners_admin.type_" + t);
                return page.t("admin.type_" + t);
            };
            mstch::array types;
            for (auto t :
                 {"settings", "site", "holiday", "motif", "message", "member", "terms", "logo",
                  "plan", "absence", "team", "published_figures", "processing_delays", "partner",
                  "partner_site", "convention", "convention_action", "label"})
                types.push_back(mstch::map{{"value", std::string(t)},
                                           {"label", type_label(t)},
                                           {"selected", filter.object_type == t}});
            page.data()["types"] = types;
            mstch::array actors;
            for (auto& p : people) {
                auto value = "account:" + std::to_string(p.id);
                actors.push_back(mstch::map{{"value", value},
                                            {"label", name_of(value)},
                                            {"selected", filter.actor == value}});
            }
            page.data()["actors"] = actors;
            mstch::array rows;
            for (auto& c : changes) {
                auto pretty = [](const std::string& s) {
                    auto j = json::parse(s, nullptr, false);
                    return j.is_discarded() ? s : j.dump(2);
                };
                rows.push_back(mstch::map{
                    {"at", page.format_datetime(c.at, zone)},
                    {"actor", name_of(c.actor)},
                    {"object", type_label(c.object_type) + " #" + std::to_string(c.object_id)},
                    {"action", page.t("admin.action_" + c.action)},
                    {"before", pretty(c.before)},
                    {"after", pretty(c.after)}});
            }
            page.data()["changes"] = rows;
            page.data()["has_changes"] = !rows.empty();
            return render(page, staff, errors.empty() ? 200 : 422, "journal", "admin.journal_title",
                          "journal");
        });
    }

    // --- sites ---------------------------------------------------------------------------

    Response sites(Request& req) {
        return get(req, [&](Staff& staff, Page& page) {
            std::vector<store::Site> list;
            ctx_.booking.store().read(
                [&](store::Session& s) { list = s.sites(staff.organisation_id); });
            mstch::array rows;
            for (auto& x : list)
                rows.push_back(mstch::map{{"id", std::to_string(x.id)},
                                          {"name", x.name},
                                          {"city", x.city},
                                          {"partner", x.is_partner}});
            page.data()["sites"] = rows;
            if (req.q("saved")) page.data()["saved"] = true;
            return render(page, staff, 200, "sites", "admin.sites_title", "sites");
        });
    }

    Response site_page(Page& page, const Staff& staff, std::optional<core::Id> id,
                       const app::Fields& f, const core::FieldErrors& errors, int status) {
        fill(page, f, errors);
        page.data()["access_rows"] = local_rows(page, f, errors, "access_notes", false);
        // The public holidays: the organisation's region, or one of the site's own.
        auto chosen = f.count("holiday_region") ? f.at("holiday_region") : std::string();
        auto data = org_data(staff);
        auto org_region = data ? data->org.holiday_region : std::string("fr_metropole");
        mstch::array regions{mstch::map{{"value", std::string()},
                                        {"label", page.t("admin.region_default") + " (" +
                                                      page.t("admin.region_" + org_region) + ")"},
                                        {"selected", chosen.empty()}}};
        for (auto code : core::holiday_region_codes())
            regions.push_back(mstch::map{{"value", std::string(code)},
                                         {"label", page.t("admin.region_" + std::string(code))},
                                         {"selected", chosen == code}});
        page.data()["regions"] = regions;
        page.data()["action"] = id ? "/console/admin/sites/" + std::to_string(*id)
                                   : std::string("/console/admin/sites");
        return render(page, staff, status, "site", id ? "admin.site_edit" : "admin.site_new",
                      "sites");
    }

    std::optional<store::Site> find_site(const Staff& staff, core::Id id) {
        std::optional<store::Site> out;
        ctx_.booking.store().read([&](store::Session& s) {
            for (auto& x : s.sites(staff.organisation_id))
                if (x.id == id) out = x;
        });
        return out;
    }

    Response site_form(Request& req, bool is_new) {
        return get(req, [&](Staff& staff, Page& page) {
            if (is_new)
                return site_page(page, staff, std::nullopt, {{"time_zone", "Europe/Paris"}}, {},
                                 200);
            auto id = StaffGate::id_param(req, "id");
            auto x = id ? find_site(staff, *id) : std::nullopt;
            if (!x) return gate_->not_found(req);
            app::Fields f{{"name", x->name},
                          {"address", x->address},
                          {"postal_code", x->postal_code},
                          {"city", x->city},
                          {"time_zone", x->time_zone},
                          {"is_partner", x->is_partner ? "1" : ""},
                          {"holiday_region", x->holiday_region}};
            local_fields(f, "access_notes", x->access_notes);
            return site_page(page, staff, id, f, {}, 200);
        });
    }

    Response save_site(Request& req, bool is_new) {
        return post(req, [&](Staff& staff, Page& page, const app::Fields& f, const http::Params&) {
            std::optional<core::Id> id;
            if (!is_new) {
                id = StaffGate::id_param(req, "id");
                if (!id) return gate_->not_found(req);
            }
            auto r = admin_.save_site(staff.organisation_id, id, f, staff.actor());
            if (r.not_found) return gate_->not_found(req);
            if (!r.ok()) return site_page(page, staff, id, f, r.errors, 422);
            return Response::redirect("/console/admin/sites?saved=1");
        });
    }

    // --- motifs --------------------------------------------------------------------------

    Response motifs(Request& req) {
        return get(req, [&](Staff& staff, Page& page) {
            std::vector<store::Motif> list;
            ctx_.booking.store().read(
                [&](store::Session& s) { list = s.motifs(staff.organisation_id); });
            mstch::array rows;
            for (auto& m : list)
                rows.push_back(mstch::map{{"id", std::to_string(m.id)},
                                          {"name", m.name.pick(page.lang())},
                                          {"duration", std::to_string(m.rules.duration_minutes)},
                                          {"public", m.is_public}});
            page.data()["motifs"] = rows;
            if (req.q("saved")) page.data()["saved"] = true;
            return render(page, staff, 200, "motifs", "admin.motifs_title", "motifs");
        });
    }

    Response motif_page(Page& page, const Staff& staff, std::optional<core::Id> id,
                        const app::Fields& f, const core::FieldErrors& errors, int status) {
        fill(page, f, errors);
        page.data()["name_rows"] = local_rows(page, f, errors, "name", true);
        page.data()["theme_rows"] = local_rows(page, f, errors, "theme", false);
        page.data()["documents_rows"] = local_rows(page, f, errors, "documents", false);
        page.data()["action"] = id ? "/console/admin/motifs/" + std::to_string(*id)
                                   : std::string("/console/admin/motifs");
        return render(page, staff, status, "motif", id ? "admin.motif_edit" : "admin.motif_new",
                      "motifs");
    }

    static app::Fields motif_fields(const store::Motif& m) {
        app::Fields f{{"code", m.code},
                      {"duration", std::to_string(m.rules.duration_minutes)},
                      {"buffer", std::to_string(m.rules.buffer_minutes)},
                      {"lead", std::to_string(m.rules.min_lead_minutes)},
                      {"horizon", std::to_string(m.rules.horizon_days)},
                      {"is_public", m.is_public ? "1" : ""},
                      {"asks_beneficiary_number", m.asks_beneficiary_number ? "1" : ""},
                      {"open_to_partners", m.open_to_partners ? "1" : ""},
                      {"position", std::to_string(m.position)}};
        for (auto c : {core::Channel::video, core::Channel::on_site, core::Channel::phone})
            if (m.rules.channels & core::channel_bit(c))
                f["channel_" + std::string(core::to_string(c))] = "1";
        std::string reminders;
        for (auto r : m.reminder_minutes)
            reminders += (reminders.empty() ? "" : ", ") + std::to_string(r);
        f["reminders"] = reminders;
        local_fields(f, "name", m.name);
        local_fields(f, "theme", m.theme);
        local_fields(f, "documents", m.documents);
        return f;
    }

    Response motif_form(Request& req, bool is_new) {
        return get(req, [&](Staff& staff, Page& page) {
            if (is_new) return motif_page(page, staff, std::nullopt, motif_fields({}), {}, 200);
            auto id = StaffGate::id_param(req, "id");
            std::optional<store::Motif> m;
            if (id)
                ctx_.booking.store().read([&](store::Session& s) {
                    for (auto& x : s.motifs(staff.organisation_id))
                        if (x.id == *id) m = x;
                });
            if (!m) return gate_->not_found(req);
            return motif_page(page, staff, id, motif_fields(*m), {}, 200);
        });
    }

    Response save_motif(Request& req, bool is_new) {
        return post(req, [&](Staff& staff, Page& page, const app::Fields& f, const http::Params&) {
            std::optional<core::Id> id;
            if (!is_new) {
                id = StaffGate::id_param(req, "id");
                if (!id) return gate_->not_found(req);
            }
            auto r = admin_.save_motif(staff.organisation_id, id, f, staff.actor());
            if (r.not_found) return gate_->not_found(req);
            if (!r.ok()) return motif_page(page, staff, id, f, r.errors, 422);
            return Response::redirect("/console/admin/motifs?saved=1");
        });
    }

    // --- members and roles -------------------------------------------------------------

    Response members_page(Page& page, const Staff& staff, const app::Fields& f,
                          const core::FieldErrors& errors, int status) {
        std::vector<store::Account> people;
        std::map<core::Id, std::vector<store::Membership>> roles;
        ctx_.booking.store().read([&](store::Session& s) {
            people = s.accounts(staff.organisation_id);
            for (auto& p : people) {
                auto ms = s.memberships(p.id);
                std::erase_if(ms,
                              [&](auto& m) { return m.organisation_id != staff.organisation_id; });
                roles[p.id] = ms;
            }
        });
        mstch::array rows;
        for (auto& p : people) {
            auto id = std::to_string(p.id);
            mstch::array boxes;
            for (auto role : {"agent", "supervisor", "admin"}) {
                bool held = false;
                for (auto& m : roles[p.id]) held = held || m.role == role;
                boxes.push_back(mstch::map{{"role", std::string(role)},
                                           {"label", page.t("staff.role_" + std::string(role))},
                                           {"id", "role-" + id + "-" + role},
                                           {"checked", held}});
            }
            rows.push_back(mstch::map{{"id", id},
                                      {"email", p.email},
                                      {"name", p.display_name},
                                      {"disabled", p.disabled_at.has_value()},
                                      {"self", p.id == staff.account_id()},
                                      {"roles", boxes}});
        }
        page.data()["members"] = rows;
        fill(page, f, errors);
        mstch::array choices;
        auto chosen = f.count("role") ? f.at("role") : std::string("agent");
        for (auto role : {"agent", "supervisor", "admin"})
            choices.push_back(mstch::map{{"value", std::string(role)},
                                         {"label", page.t("staff.role_" + std::string(role))},
                                         {"selected", chosen == role}});
        page.data()["role_choices"] = choices;
        return render(page, staff, status, "members", "admin.members_title", "members");
    }

    Response members(Request& req) {
        return get(req, [&](Staff& staff, Page& page) {
            if (req.q("invited")) page.data()["invited"] = true;
            if (req.q("saved")) page.data()["saved"] = true;
            return members_page(page, staff, {}, {}, 200);
        });
    }

    Response invite(Request& req) {
        return post(req, [&](Staff& staff, Page& page, const app::Fields& f, const http::Params&) {
            app::AdminResult r;
            try {
                r = admin_.invite(staff.organisation_id, f, staff.actor(), page.lang());
            } catch (const app::AccountError& e) {
                r.errors["email"] = "admin.error_invalid";
            }
            if (r.not_found) return gate_->not_found(req);
            if (!r.ok()) return members_page(page, staff, f, r.errors, 422);
            return Response::redirect("/console/admin/members?invited=1");
        });
    }

    Response set_roles(Request& req) {
        return post(req,
                    [&](Staff& staff, Page& page, const app::Fields&, const http::Params& form) {
                        auto id = StaffGate::id_param(req, "id");
                        if (!id) return gate_->not_found(req);
                        std::vector<std::string> roles;
                        for (auto [it, end] = form.equal_range("role"); it != end; ++it)
                            roles.push_back(it->second);
                        auto r = admin_.set_roles(staff.organisation_id, *id, roles, staff.actor(),
                                                  staff.account_id());
                        if (r.not_found) return gate_->not_found(req);
                        if (!r.ok()) return members_page(page, staff, {}, r.errors, 422);
                        return Response::redirect("/console/admin/members?saved=1");
                    });
    }

    Response set_disabled(Request& req, bool disabled) {
        return post(req, [&](Staff& staff, Page& page, const app::Fields&, const http::Params&) {
            auto id = StaffGate::id_param(req, "id");
            if (!id) return gate_->not_found(req);
            auto r = admin_.set_disabled(staff.organisation_id, *id, disabled, staff.actor(),
                                         staff.account_id());
            if (r.not_found) return gate_->not_found(req);
            if (!r.ok()) return members_page(page, staff, {}, r.errors, 422);
            return Response::redirect("/console/admin/members?saved=1");
        });
    }

    // --- terms -------------------------------------------------------------------------

    Response terms_page(Page& page, const Staff& staff, app::Fields f,
                        const core::FieldErrors& errors, int status) {
        std::vector<store::Terms> versions;
        ctx_.booking.store().read(
            [&](store::Session& s) { versions = s.terms_versions(staff.organisation_id); });
        auto data = org_data(staff);
        const date::time_zone* zone = data ? data->default_zone() : core::zone_or_default("");
        mstch::array rows;
        for (auto& t : versions)
            rows.push_back(mstch::map{{"version", std::to_string(t.version)},
                                      {"published", page.format_datetime(t.published_at, zone)}});
        page.data()["versions"] = rows;
        if (status == 200 && !versions.empty()) {
            local_fields(f, "text", versions.front().text);
            local_fields(f, "conduct", versions.front().conduct_rules);
        }
        fill(page, f, errors);
        page.data()["text_rows"] = local_rows(page, f, errors, "text", true);
        page.data()["conduct_rows"] = local_rows(page, f, errors, "conduct", false);
        return render(page, staff, status, "terms", "admin.terms_title", "terms");
    }

    Response terms(Request& req) {
        return get(req, [&](Staff& staff, Page& page) {
            if (req.q("saved")) page.data()["saved"] = true;
            return terms_page(page, staff, {}, {}, 200);
        });
    }

    Response publish_terms(Request& req) {
        return post(req, [&](Staff& staff, Page& page, const app::Fields& f, const http::Params&) {
            auto r = admin_.publish_terms(staff.organisation_id, f, staff.actor());
            if (!r.ok()) return terms_page(page, staff, f, r.errors, 422);
            return Response::redirect("/console/admin/terms?saved=1");
        });
    }

    // --- closed days (admin-rest) ---------------------------------------------------------

    Response holidays_page(Page& page, const Staff& staff, const app::Fields& f,
                           const core::FieldErrors& errors,
                           const std::vector<store::Appointment>& hit, int status) {
        auto data = org_data(staff);
        if (!data) return page.error(404, "error_page.not_found");
        auto today = core::local_day_of(ctx_.now(), data->default_zone());
        std::vector<store::ClosedDay> days;
        ctx_.booking.store().read(
            [&](store::Session& s) { days = s.closed_days(staff.organisation_id, today); });
        auto site_name = [&](std::optional<core::Id> id) {
            auto x = id ? data->site(*id) : nullptr;
            return x ? x->name : page.t("admin.every_site");
        };
        mstch::array rows;
        for (auto& d : days)
            rows.push_back(mstch::map{
                {"id", std::to_string(d.id)},
                {"first", page.format_date(d.first_day)},
                {"last", d.last_day == d.first_day ? std::string() : page.format_date(d.last_day)},
                {"label", d.label},
                {"site", site_name(d.site_id)}});
        page.data()["closed_days"] = rows;
        page.data()["has_closed_days"] = !rows.empty();
        auto chosen = f.count("site") ? f.at("site") : std::string();
        mstch::array sites{mstch::map{{"value", std::string()},
                                      {"label", page.t("admin.every_site")},
                                      {"selected", chosen.empty()}}};
        for (auto& x : data->sites)
            sites.push_back(mstch::map{{"value", std::to_string(x.id)},
                                       {"label", x.name},
                                       {"selected", chosen == std::to_string(x.id)}});
        page.data()["site_choices"] = sites;
        mstch::array regions;
        for (auto& x : data->sites)
            regions.push_back(mstch::map{
                {"id", std::to_string(x.id)},
                {"name", x.name},
                {"region",
                 page.t("admin.region_" + (x.holiday_region.empty() ? data->org.holiday_region
                                                                    : x.holiday_region))}});
        page.data()["site_regions"] = regions;
        mstch::array hits;
        for (auto& a : hit) {
            auto x = data->site(a.site_id);
            auto m = data->motif(a.motif_id);
            hits.push_back(mstch::map{
                {"href", "/console/appointments/" + std::to_string(a.id)},
                {"when",
                 page.format_datetime(a.starts_at, x ? data->zone(*x) : data->default_zone())},
                {"motif", m ? m->name.pick(page.lang()) : std::string()},
                {"site", x ? x->name : std::string()},
                {"citizen", a.citizen.first_name + " " + a.citizen.last_name}});
        }
        page.data()["hit"] = hits;
        page.data()["has_hit"] = !hits.empty();
        fill(page, f, errors);
        return render(page, staff, status, "holidays", "admin.holidays_title", "holidays");
    }

    Response holidays(Request& req) {
        return get(req, [&](Staff& staff, Page& page) {
            if (req.q("saved")) page.data()["saved"] = true;
            return holidays_page(page, staff, {}, {}, {}, 200);
        });
    }

    Response add_holiday(Request& req) {
        return post(req, [&](Staff& staff, Page& page, const app::Fields& f, const http::Params&) {
            auto r = admin_.add_closed_day(staff.organisation_id, f, staff.actor());
            if (r.not_found) return gate_->not_found(req);
            if (!r.ok()) return holidays_page(page, staff, f, r.errors, r.hit, 422);
            return Response::redirect("/console/admin/holidays?saved=1");
        });
    }

    Response delete_holiday(Request& req) {
        return post(req, [&](Staff& staff, Page&, const app::Fields&, const http::Params&) {
            auto id = StaffGate::id_param(req, "id");
            if (!id) return gate_->not_found(req);
            auto r = admin_.delete_closed_day(staff.organisation_id, *id, staff.actor());
            if (r.not_found) return gate_->not_found(req);
            return Response::redirect("/console/admin/holidays?saved=1");
        });
    }

    // --- message texts (admin-rest) --------------------------------------------------------

    // The kind of the URL when it is one an organisation may write, else "".
    static std::string kind_param(const Request& req) {
        auto kind = req.path_param("kind").value_or("");
        auto& kinds = notify::customisable_kinds();
        return std::find(kinds.begin(), kinds.end(), kind) == kinds.end() ? std::string() : kind;
    }

    std::vector<store::MessageText> message_texts(const Staff& staff) {
        std::vector<store::MessageText> out;
        ctx_.booking.store().read(
            [&](store::Session& s) { out = s.message_texts(staff.organisation_id); });
        return out;
    }

    // The catalogue's text of a kind (messages.<what>.<kind>, or a console part's).
    std::string catalogue_text(const std::string& lang, const std::string& what,
                               const std::string& kind) {
        auto key = "messages." + what + "." + kind;
        auto text = ctx_.i18n.t(lang, key);
        return text == key ? ctx_.i18n.t(lang, "supervision." + key) : text;
    }

    Response messages(Request& req) {
        return get(req, [&](Staff& staff, Page& page) {
            auto texts = message_texts(staff);
            mstch::array rows;
            for (auto& kind : notify::customisable_kinds()) {
                std::string custom;
                for (auto& [code, name] : kLanguageNames)
                    for (auto& t : texts)
                        if (t.kind == kind && t.language == code)
                            custom += (custom.empty() ? "" : ", ") + std::string(name);
                rows.push_back(mstch::map{
                    {"kind", kind}, {"label", page.t("admin.kind_" + kind)}, {"custom", custom}});
            }
            page.data()["kinds"] = rows;
            if (req.q("saved")) page.data()["saved"] = true;
            return render(page, staff, 200, "messages", "admin.messages_title", "messages");
        });
    }

    Response message_page(Page& page, const Staff& staff, const std::string& kind,
                          const app::Fields& f, const core::FieldErrors& errors, int status) {
        std::string allowed;
        for (auto& p : core::known_placeholders())
            allowed += (allowed.empty() ? "" : ", ") + ("{" + p + "}");
        // An unknown placeholder: the message names it and the allowed ones.
        core::FieldErrors shown;
        for (auto& [field, key] : errors) shown[field] = key;
        fill(page, f, shown);
        auto explain = [&](const std::string& field, const std::string& key) {
            auto msg = page.t(key);
            if (key != "admin.error_placeholder") return msg;
            std::string names;
            auto it = f.find(field);
            for (auto& n : core::unknown_placeholders(it == f.end() ? "" : it->second))
                names += (names.empty() ? "" : ", ") + ("{" + n + "}");
            return text::I18n::fill(text::I18n::fill(msg, "{unknown}", names), "{allowed}",
                                    allowed);
        };
        mstch::array list;
        for (auto& [field, key] : errors) {
            page.data()["error_" + field] = explain(field, key);
            std::string language;
            for (auto& [code, name] : kLanguageNames)
                if (field.ends_with(std::string("_") + code)) language = name;
            auto base = field.substr(0, field.rfind('_'));
            list.push_back(
                mstch::map{{"field", field},
                           {"label", page.t("admin.field_message_" + base) + " (" + language + ")"},
                           {"message", explain(field, key)}});
        }
        if (!list.empty()) page.data()["errors"] = list;
        mstch::array rows;
        for (auto& [code, name] : kLanguageNames) {
            mstch::map row{{"code", std::string(code)}, {"language", std::string(name)}};
            for (std::string what : {"subject", "intro"}) {
                auto field = what + "_" + code;
                auto it = f.find(field);
                row[what] = it == f.end() ? std::string() : it->second;
                row[what + "_default"] = catalogue_text(code, what, kind);
                if (auto e = errors.find(field); e != errors.end())
                    row[what + "_error"] = explain(field, e->second);
            }
            rows.push_back(row);
        }
        page.data()["message_languages"] = rows;
        page.data()["placeholders"] = allowed;
        page.data()["kind"] = kind;
        page.data()["kind_label"] = page.t("admin.kind_" + kind);
        return render(page, staff, status, "message", "admin.message_title", "messages");
    }

    Response message_form(Request& req) {
        return get(req, [&](Staff& staff, Page& page) {
            auto kind = kind_param(req);
            if (kind.empty()) return gate_->not_found(req);
            app::Fields f;
            for (auto& t : message_texts(staff))
                if (t.kind == kind) {
                    f["subject_" + t.language] = t.subject;
                    f["intro_" + t.language] = t.intro;
                }
            if (req.q("saved")) page.data()["saved"] = true;
            return message_page(page, staff, kind, f, {}, 200);
        });
    }

    Response save_message(Request& req) {
        return post(req, [&](Staff& staff, Page& page, const app::Fields& f, const http::Params&) {
            auto kind = kind_param(req);
            if (kind.empty()) return gate_->not_found(req);
            auto r = admin_.save_message_texts(staff.organisation_id, kind, f, staff.actor());
            if (r.not_found) return gate_->not_found(req);
            if (!r.ok()) return message_page(page, staff, kind, f, r.errors, 422);
            return Response::redirect("/console/admin/messages/" + kind + "?saved=1");
        });
    }

    // The message a sample appointment would receive, composed as the outbox does, in
    // every language: e-mail subject, text and HTML, the SMS and its segments. Nothing sent.
    Response message_preview(Request& req) {
        return get(req, [&](Staff& staff, Page& page) {
            auto kind = kind_param(req);
            if (kind.empty()) return gate_->not_found(req);
            notify::Composer composer(ctx_.i18n, ctx_.templates, ctx_.settings.link_base);
            mstch::array rows;
            for (auto& [code, name] : kLanguageNames) {
                auto sample = admin_.sample_message(staff.organisation_id, kind, code);
                if (!sample) return page.error(409, "admin.preview_impossible");
                auto mail = composer.citizen_email(sample->first, sample->second);
                auto sms = composer.citizen_sms(sample->first, sample->second);
                auto length = core::sms_length(sms);
                rows.push_back(mstch::map{
                    {"code", std::string(code)},
                    {"language", std::string(name)},
                    {"subject", mail.subject},
                    {"text", mail.text},
                    {"html", mail.html},
                    {"html_href", "/console/admin/messages/" + kind + "/preview/" + code},
                    {"sms", sms},
                    {"segments", text::I18n::fill(page.t("admin.sms_segments"), "{n}",
                                                  std::to_string(length.segments))}});
            }
            page.data()["previews"] = rows;
            page.data()["kind"] = kind;
            page.data()["kind_label"] = page.t("admin.kind_" + kind);
            return render(page, staff, 200, "message_preview", "admin.preview_title", "messages");
        });
    }

    // The HTML e-mail of the preview alone, as a mail client shows it.
    Response message_preview_html(Request& req) {
        return get(req, [&](Staff& staff, Page& page) {
            auto kind = kind_param(req);
            auto lang = req.path_param("lang").value_or("");
            auto& langs = text::kLanguages;
            if (kind.empty() || std::find(langs.begin(), langs.end(), lang) == langs.end())
                return gate_->not_found(req);
            auto sample = admin_.sample_message(staff.organisation_id, kind, lang);
            if (!sample) return page.error(409, "admin.preview_impossible");
            notify::Composer composer(ctx_.i18n, ctx_.templates, ctx_.settings.link_base);
            auto mail = composer.citizen_email(sample->first, sample->second);
            Response res = Response::text(200, mail.html);
            res.content_type = "text/html; charset=utf-8";
            return res;
        });
    }

    // --- platform administration (admin-rest) -----------------------------------------------

    // The platform administrators' pages: signed in (second factor done) with the account's
    // flag; no organisation needed. Anyone else: 403.
    template <class F>
    Response platform(const Request& req, F f) {
        return gate_->with_session(req, [&](app::AccountService::Current& c) {
            if (!c.account.platform_admin) return gate_->forbidden(req);
            Page page(ctx_, req, nullptr, c.account.language);
            return f(c, page);
        });
    }

    Response platform_page(Page& page, const app::Fields& f, const core::FieldErrors& errors,
                           int status) {
        std::vector<store::Organisation> orgs;
        ctx_.booking.store().read([&](store::Session& s) { orgs = s.organisations(); });
        mstch::array rows;
        for (auto& o : orgs) rows.push_back(mstch::map{{"slug", o.slug}, {"name", o.name}});
        page.data()["organisations"] = rows;
        fill(page, f, errors);
        return page.render(status, "admin/platform", page.t("admin.platform_title"));
    }

    Response platform_home(Request& req) {
        return platform(req, [&](app::AccountService::Current&, Page& page) {
            if (req.q("created")) page.data()["created"] = true;
            return platform_page(page, {}, {}, 200);
        });
    }

    Response create_organisation(Request& req) {
        auto form = http::parse_urlencoded(req.body);
        Page check(ctx_, req, nullptr);
        if (!check.csrf_ok(form)) return check.error(403, "error_page.csrf");
        return platform(req, [&](app::AccountService::Current& c, Page& page) {
            auto f = form_fields(form);
            app::AdminResult r;
            try {
                r = admin_.create_organisation(f, "account:" + std::to_string(c.account.id),
                                               page.lang());
            } catch (const app::AccountError&) {
                r.errors["admin_email"] = "admin.error_email";
            }
            if (!r.ok()) return platform_page(page, f, r.errors, 422);
            return Response::redirect("/console/platform?created=1");
        });
    }

    // --- logo ----------------------------------------------------------------------------

    Response logo_page(Page& page, const Staff& staff, const core::FieldErrors& errors,
                       int status) {
        auto data = org_data(staff);
        if (data && !data->org.logo_etag.empty())
            page.data()["logo_src"] = "/" + data->org.slug + "/logo?v=" + data->org.logo_etag;
        fill(page, {}, errors);
        return render(page, staff, status, "logo", "admin.logo_title", "logo");
    }

    Response logo(Request& req) {
        return get(req, [&](Staff& staff, Page& page) {
            if (req.q("saved")) page.data()["saved"] = true;
            return logo_page(page, staff, {}, 200);
        });
    }

    // multipart/form-data: csrf, and the file "logo" (or remove=1).
    Response upload_logo(Request& req) {
        auto type = req.header("content-type");
        auto parts = http::parse_multipart(type ? *type : "", req.body, 4);
        http::Params form;
        std::optional<std::string> file;
        if (parts)
            for (auto& p : *parts) {
                if (p.name == "logo" && !p.filename.empty())
                    file = p.data;
                else if (p.filename.empty())
                    form.emplace(p.name, p.data);
            }
        if (!parts) {
            // Not a form we sent (or not multipart): the CSRF check answers first.
            form = http::parse_urlencoded(req.body);
        }
        return gate_->post_with_staff(req, form, {"admin"}, [&](Staff& staff) {
            Page page(ctx_, req, nullptr, staff.current.account.language);
            if (!parts) return page.error(400, "error_page.bad_request");
            bool remove = form_value(form, "remove") == "1";
            if (!remove && (!file || file->empty()))
                return logo_page(page, staff, {{"logo", "admin.error_logo_missing"}}, 422);
            auto r = admin_.set_logo(staff.organisation_id, remove ? "" : *file, staff.actor());
            if (r.not_found) return gate_->not_found(req);
            if (!r.ok()) return logo_page(page, staff, r.errors, 422);
            return Response::redirect("/console/admin/logo?saved=1");
        });
    }

  private:
    std::shared_ptr<StaffGate> gate_;
    app::Context& ctx_;
    app::Administration admin_;
};

}  // namespace

std::size_t admin_body_limit(const std::string& method, const std::string& target,
                             std::size_t normal) {
    if (method == "POST" &&
        (target == "/console/admin/logo" || target.rfind("/console/admin/logo?", 0) == 0))
        return std::max(normal, app::kMaxLogoBytes + 16 * 1024);
    return normal;
}

void admin_navigation(Page& page, const Staff& staff, const std::string& section) {
    auto& d = page.data();
    d["admin_org"] = staff.organisation_name;
    mstch::array nav;
    for (auto s : {"settings", "logo", "sites", "holidays", "motifs", "messages", "members",
                   "partners", "terms", "figures", "journal"})
        nav.push_back(mstch::map{
            {"href", "/console/admin/" + std::string(s)},
            {"label", page.t(std::string(s) == "partners" ? "partners_admin.nav"
                                                          : "admin.nav_" + std::string(s))},
            {"current", section == s}});
    d["admin_nav"] = nav;
}

void register_admin_routes(http::Router& router, const std::shared_ptr<StaffGate>& gate) {
    auto p = std::make_shared<AdminPages>(gate);
    router.get("/console/admin",
               [](Request&) { return Response::redirect("/console/admin/", 301); });
    router.get("/console/admin/", [p](Request& r) { return p->index(r); });
    router.get("/console/admin/settings", [p](Request& r) { return p->settings(r); });
    router.post("/console/admin/settings", [p](Request& r) { return p->save_settings(r); });
    router.get("/console/admin/journal", [p](Request& r) { return p->journal(r); });
    router.get("/console/admin/sites", [p](Request& r) { return p->sites(r); });
    router.post("/console/admin/sites", [p](Request& r) { return p->save_site(r, true); });
    router.get("/console/admin/sites/new", [p](Request& r) { return p->site_form(r, true); });
    router.get("/console/admin/sites/{id}", [p](Request& r) { return p->site_form(r, false); });
    router.post("/console/admin/sites/{id}", [p](Request& r) { return p->save_site(r, false); });
    router.get("/console/admin/motifs", [p](Request& r) { return p->motifs(r); });
    router.post("/console/admin/motifs", [p](Request& r) { return p->save_motif(r, true); });
    router.get("/console/admin/motifs/new", [p](Request& r) { return p->motif_form(r, true); });
    router.get("/console/admin/motifs/{id}", [p](Request& r) { return p->motif_form(r, false); });
    router.post("/console/admin/motifs/{id}", [p](Request& r) { return p->save_motif(r, false); });
    router.get("/console/admin/members", [p](Request& r) { return p->members(r); });
    router.post("/console/admin/members", [p](Request& r) { return p->invite(r); });
    router.post("/console/admin/members/{id}/roles", [p](Request& r) { return p->set_roles(r); });
    router.post("/console/admin/members/{id}/disable",
                [p](Request& r) { return p->set_disabled(r, true); });
    router.post("/console/admin/members/{id}/enable",
                [p](Request& r) { return p->set_disabled(r, false); });
    router.get("/console/admin/holidays", [p](Request& r) { return p->holidays(r); });
    router.post("/console/admin/holidays", [p](Request& r) { return p->add_holiday(r); });
    router.post("/console/admin/holidays/{id}/delete",
                [p](Request& r) { return p->delete_holiday(r); });
    router.get("/console/platform", [p](Request& r) { return p->platform_home(r); });
    router.post("/console/platform", [p](Request& r) { return p->create_organisation(r); });
    router.get("/console/admin/messages", [p](Request& r) { return p->messages(r); });
    router.get("/console/admin/messages/{kind}", [p](Request& r) { return p->message_form(r); });
    router.post("/console/admin/messages/{kind}", [p](Request& r) { return p->save_message(r); });
    router.get("/console/admin/messages/{kind}/preview",
               [p](Request& r) { return p->message_preview(r); });
    router.get("/console/admin/messages/{kind}/preview/{lang}",
               [p](Request& r) { return p->message_preview_html(r); });
    router.get("/console/admin/logo", [p](Request& r) { return p->logo(r); });
    router.post("/console/admin/logo", [p](Request& r) { return p->upload_logo(r); });
    router.get("/console/admin/terms", [p](Request& r) { return p->terms(r); });
    router.post("/console/admin/terms", [p](Request& r) { return p->publish_terms(r); });
    // The uploaded logo, for every page of the organisation: content-addressed URL
    // (?v=<etag>), so it may be cached for a year.
    router.get("/{org}/logo", [p, &ctx = gate->context()](Request& r) {
        auto org = ctx.booking.organisation(*r.path_param("org"));
        std::optional<store::Logo> logo;
        if (org) ctx.booking.store().read([&](store::Session& s) { logo = s.logo(org->org.id); });
        if (!logo) return Response::text(404, "Not found");
        auto etag = "\"" + logo->etag + "\"";
        if (auto inm = r.header("if-none-match"); inm && *inm == etag) {
            Response res = Response::text(304, "");
            res.header("ETag", etag);
            return res;
        }
        Response res = Response::text(200, logo->data);
        res.content_type = logo->content_type;
        res.header("ETag", etag);
        res.header("Cache-Control", "public, max-age=31536000, immutable");
        return res;
    });
}

}  // namespace vg::web
