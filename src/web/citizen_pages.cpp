// Public booking pages: organisation → motif → channel → site → week → details → review →
// confirmation. Plain GET forms and links; POST only where something is written. Works
// without JavaScript.
#include "web/citizen_pages.hpp"

#include <date/tz.h>

#include <algorithm>
#include <map>

#include "app/tokens.hpp"
#include "core/timefmt.hpp"
#include "web/booking_flow.hpp"

namespace vg::web {

namespace {

using http::Request;
using http::Response;

struct Flow {
    const store::Motif* motif = nullptr;
    std::optional<Mode> mode;
    const store::Site* site = nullptr;
    bool needs_site = false;
};

std::string flow_url(const std::string& slug, const store::Motif& m, const Mode* mode,
                     const store::Site* site, const std::string& lang) {
    std::string url = "/" + slug + "/book?lang=" + lang + "&motif=" + std::to_string(m.id);
    if (mode) url += "&mode=" + mode->code;
    if (site) url += "&site=" + std::to_string(site->id);
    return url + "&";
}

// Reads motif/mode/site from query or form; nullopt means "not found" (404).
std::optional<Flow> read_flow(const app::OrgData& org, const http::Params& p) {
    Flow f;
    auto motif_id = parse_number(form_value(p, "motif"));
    if (!motif_id) return std::nullopt;
    f.motif = org.public_motif(*motif_id);
    if (!f.motif) return std::nullopt;
    auto mode = parse_mode(form_value(p, "mode"));
    if (mode) {
        auto allowed = modes_for(org, *f.motif);
        bool ok = std::any_of(allowed.begin(), allowed.end(),
                              [&](const Mode& m) { return m.code == mode->code; });
        if (ok) f.mode = mode;
    }
    if (f.mode) {
        auto choices = sites_for(org, *f.mode);
        f.needs_site = !choices.empty();
        if (auto id = parse_number(form_value(p, "site"))) {
            for (auto* s : choices)
                if (s->id == *id) f.site = s;
        }
        if (!f.site && choices.size() == 1) f.site = choices.front();
    }
    return f;
}

app::SlotQuery query_for(const Flow& f) {
    app::SlotQuery q;
    q.motif_id = f.motif->id;
    q.channel = f.mode->channel;
    if (f.site) q.site_id = f.site->id;
    return q;
}

const date::time_zone* flow_zone(const app::OrgData& org, const Flow& f) {
    return f.site ? org.zone(*f.site) : org.default_zone();
}

void add_flow_fields(Page& page, const app::OrgData& org, const Flow& f) {
    auto& d = page.data();
    d["motif_id"] = std::to_string(f.motif->id);
    d["motif_name"] = f.motif->name.pick(page.lang());
    if (f.mode) {
        d["mode"] = f.mode->code;
        d["mode_label"] = page.t("mode." + f.mode->code);
    }
    if (f.site) {
        d["site_id"] = std::to_string(f.site->id);
        d["site_name"] = f.site->name;
    }
    d["back_to_motifs"] = "/" + org.org.slug + "/?lang=" + page.lang();
}

class CitizenPages {
  public:
    explicit CitizenPages(app::Context& ctx) : ctx_(ctx) {}

    Response home(Request& req) {
        Page page(ctx_, req, nullptr);
        mstch::array orgs;
        ctx_.booking.store().read([&](store::Session& s) {
            for (auto& o : s.organisations())
                orgs.push_back(mstch::map{{"name", o.name}, {"url", "/" + o.slug + "/"}});
        });
        page.data()["organisations"] = orgs;
        page.data()["heading"] = page.t("home.title");
        page.data()["intro"] = page.t("home.intro");
        return page.render(200, "citizen/home", page.t("home.title"));
    }

    Response org_index(Request& req) {
        auto org = load(req);
        if (!org) return not_found(req);
        Page page(ctx_, req, &*org);
        // Motifs grouped by theme, in the organisation's order.
        std::vector<std::pair<std::string, mstch::array>> themes;
        for (auto& m : org->motifs) {
            if (!m.is_public) continue;
            auto theme = m.theme.pick(page.lang());
            auto it = std::find_if(themes.begin(), themes.end(),
                                   [&](auto& t) { return t.first == theme; });
            if (it == themes.end()) it = themes.insert(themes.end(), {theme, {}});
            mstch::array channels;
            for (auto& mode : modes_for(*org, m))
                if (!mode.partner) channels.push_back(page.t("channel." + mode.code));
            it->second.push_back(
                mstch::map{{"name", m.name.pick(page.lang())},
                           {"duration", std::to_string(m.rules.duration_minutes)},
                           {"channels", channels},
                           {"url", flow_url(org->org.slug, m, nullptr, nullptr, page.lang())}});
        }
        mstch::array list;
        for (auto& [name, motifs] : themes)
            list.push_back(mstch::map{{"theme", name}, {"motifs", motifs}});
        page.data()["themes"] = list;
        page.data()["terms_url"] = "/" + org->org.slug + "/terms?lang=" + page.lang();
        page.data()["resend_url"] = "/" + org->org.slug + "/resend?lang=" + page.lang();
        return page.render(200, "citizen/org", page.t("org.title"));
    }

    Response terms(Request& req) {
        auto org = load(req);
        if (!org || !org->terms) return not_found(req);
        Page page(ctx_, req, &*org);
        add_terms(page, *org);
        return page.render(200, "citizen/terms", page.t("terms.title"));
    }

    // GET /{org}/book: one route, the step follows from the parameters present.
    Response book(Request& req) {
        auto org = load(req);
        if (!org) return not_found(req);
        Page page(ctx_, req, &*org);
        auto flow = read_flow(*org, req.query);
        if (!flow) return page.error(404, "error_page.unknown_motif");
        add_flow_fields(page, *org, *flow);
        auto& m = *flow->motif;
        if (!flow->mode) return channel_step(page, *org, m);
        if (flow->needs_site && !flow->site) return site_step(page, *org, *flow);
        if (auto slot = req.q("slot")) {
            auto start = parse_number(*slot);
            if (!start) return page.error(400, "error_page.bad_request");
            if (!slot_is_free(*org, *flow, *start))
                return slots_step(page, *org, *flow, req, 409, "booking.slot_taken");
            page.data()["slot"] = std::to_string(*start);
            carry_booking_key(page, {});
            return details_step(page, *org, *flow, *start, citizen_from({}), {}, 200);
        }
        return slots_step(page, *org, *flow, req, 200, "");
    }

    // The booking form's POST steps start alike: the organisation, the CSRF token, the booking
    // rate limit when `limited` (the step that books), the flow and the chosen slot, carried
    // into the page; then `step(page, org, flow, start, form)`.
    template <class Step>
    Response posted_step(Request& req, bool limited, Step step) {
        auto org = load(req);
        if (!org) return not_found(req);
        auto form = http::parse_urlencoded(req.body);
        Page page(ctx_, req, &*org);
        if (!page.csrf_ok(form)) return page.error(403, "error_page.csrf");
        auto now = ctx_.now();
        if (limited && !ctx_.booking_limiter.allow(req.remote_ip, now)) {
            return page.too_many("error_page.rate_limited",
                                 ctx_.booking_limiter.retry_after(req.remote_ip, now));
        }
        auto flow = read_flow(*org, form);
        auto start = parse_number(form_value(form, "slot"));
        if (!flow || !flow->mode || !start) return page.error(400, "error_page.bad_request");
        add_flow_fields(page, *org, *flow);
        page.data()["slot"] = std::to_string(*start);
        carry_booking_key(page, form);
        return step(page, *org, *flow, *start, form);
    }

    // POST /{org}/book/review: details checked, then the summary with the terms.
    Response review(Request& req) {
        return posted_step(
            req, false,
            [&](Page& page, const auto& org, const auto& flow, auto start, const auto& form) {
                auto citizen = citizen_from(form);
                auto errors = core::validate_citizen(
                    citizen, app::citizen_rules(org, flow.mode->channel, flow.site));
                if (!errors.empty())
                    return details_step(page, org, flow, start, citizen, errors, 422);
                return review_step(page, org, flow, start, citizen, {}, 200);
            });
    }

    // POST /{org}/book/edit: back from the review to the details, values kept.
    Response edit(Request& req) {
        return posted_step(
            req, false,
            [&](Page& page, const auto& org, const auto& flow, auto start, const auto& form) {
                return details_step(page, org, flow, start, citizen_from(form), {}, 200);
            });
    }

    // POST /{org}/book/confirm: the booking itself.
    Response confirm(Request& req) {
        return posted_step(
            req, true,
            [&](Page& page, const auto& org, const auto& flow, auto start, const auto& form) {
                return book(req, page, org, flow, start, form);
            });
    }

    // The confirm step once its form is read: books, or says why not.
    Response book(Request& req, Page& page, const app::OrgData& org, const Flow& flow,
                  core::Instant start, const http::Params& form) {
        app::BookRequest br;
        br.motif_id = flow.motif->id;
        br.channel = flow.mode->channel;
        br.start = start;
        if (flow.site) br.site_id = flow.site->id;
        br.citizen = citizen_from(form);
        br.accept_terms = form_value(form, "accept_terms") == "yes";
        br.terms_version = parse_int(form_value(form, "terms_version")).value_or(0);
        br.idempotency_key = form_value(form, "booking_key");
        if (!app::looks_like_token(br.idempotency_key))
            return page.error(400, "error_page.bad_request");
        auto r = ctx_.booking.book(org, br);
        // Sent again (back, then confirm): the appointment booked the first time, or when its
        // link cannot be shown again, where to find it.
        if (r.errors.count("idempotency_key") || (r.replayed && r.token.empty()))
            return page.error(409, "error_page.already_booked");
        switch (r.outcome) {
            case app::Outcome::ok:
                return Response::redirect("/manage/" + r.token + "?created=1&lang=" + page.lang());
            case app::Outcome::conflict:
                return slots_step(page, org, flow, req, 409, "booking.slot_taken",
                                  local_week(org, flow, start));
            case app::Outcome::invalid: {
                bool only_terms = std::all_of(r.errors.begin(), r.errors.end(), [](auto& e) {
                    return e.first == "accept_terms" || e.first == "terms_version";
                });
                if (only_terms)
                    return review_step(page, org, flow, start, br.citizen, r.errors, 422);
                return details_step(page, org, flow, start, br.citizen, r.errors, 422);
            }
            default:
                return page.error(404, "error_page.not_found");
        }
    }

    Response not_found(Request& req) {
        Page page(ctx_, req, nullptr);
        return page.error(404, "error_page.not_found");
    }

  private:
    // The single-use key of this booking intention: made when the details form is first
    // shown, then carried by every form of the flow (details, review, edit, confirm), so
    // that confirming again, or sending the review again after going back, finds the
    // appointment booked the first time instead of booking it twice.
    static void carry_booking_key(Page& page, const http::Params& form) {
        auto key = form_value(form, "booking_key");
        page.data()["booking_key"] = app::looks_like_token(key) ? key : app::new_token();
    }

    std::shared_ptr<const app::OrgData> load(Request& req) {
        auto slug = req.path_param("org");
        if (!slug || slug->size() > 64) return nullptr;
        return ctx_.booking.organisation(*slug);
    }

    Response channel_step(Page& page, const app::OrgData& org, const store::Motif& m) {
        mstch::array modes;
        for (auto& mode : modes_for(org, m))
            modes.push_back(mstch::map{{"code", mode.code},
                                       {"label", page.t("mode." + mode.code)},
                                       {"hint", page.t("mode." + mode.code + "_hint")},
                                       {"first", modes.empty()}});
        page.data()["modes"] = modes;
        return page.render(200, "citizen/channel", page.t("channel_step.title"));
    }

    Response site_step(Page& page, const app::OrgData& org, const Flow& f) {
        mstch::array sites;
        for (auto* s : sites_for(org, *f.mode))
            sites.push_back(
                mstch::map{{"id", std::to_string(s->id)},
                           {"name", s->name},
                           {"address", s->address + ", " + s->postal_code + " " + s->city},
                           {"notes", s->access_notes.pick(page.lang())},
                           {"partner", s->is_partner},
                           {"first", sites.empty()}});
        page.data()["sites"] = sites;
        page.data()["partner_mode"] = f.mode->partner;
        return page.render(200, "citizen/site", page.t("site_step.title"));
    }

    core::LocalDay local_week(const app::OrgData& org, const Flow& f, core::Instant t) {
        return core::monday_of(core::local_day_of(t, flow_zone(org, f)));
    }

    bool slot_is_free(const app::OrgData& org, const Flow& f, core::Instant start) {
        auto q = query_for(f);
        auto day = core::local_day_of(start, flow_zone(org, f));
        q.from = day - 1;
        q.to = day + 1;
        auto slots = ctx_.booking.slots(org, q);
        return std::any_of(slots.begin(), slots.end(), [&](auto& s) { return s.start == start; });
    }

    Response slots_step(Page& page, const app::OrgData& org, const Flow& f, const Request& req,
                        int status, const std::string& notice,
                        std::optional<core::LocalDay> week = std::nullopt) {
        auto now = ctx_.now();
        auto zone = flow_zone(org, f);
        auto today = core::local_day_of(now, zone);
        auto q = query_for(f);
        q.from = today;
        auto first = ctx_.booking.first_slot(org, q);
        // The week of the first free slot unless another is asked for.
        std::optional<core::LocalDay> first_day;
        if (first) first_day = core::local_day_of(first->start, first->zone);
        auto shown = choose_week(week ? week : asked_week(req), first_day.value_or(today), today,
                                 f.motif->rules.horizon_days, first_day);
        q.from = shown.monday;
        q.to = shown.monday + 6;
        auto slots = ctx_.booking.slots(org, q);
        auto base = flow_url(org.org.slug, *f.motif, &*f.mode, f.site, page.lang());
        add_week(page, slots, shown, base);
        auto& d = page.data();
        if (first) {
            d["first_label"] = page.format_datetime(first->start, first->zone);
            d["first_url"] = base + "slot=" + std::to_string(first->start);
        }
        d["none_at_all"] = !first;
        if (!notice.empty()) d["notice"] = page.t(notice);
        d["change_mode_url"] = flow_url(org.org.slug, *f.motif, nullptr, nullptr, page.lang());
        return page.render(status, "citizen/slots", page.t("slots_step.title"));
    }

    Response details_step(Page& page, const app::OrgData& org, const Flow& f, core::Instant start,
                          const core::CitizenInput& c, const core::FieldErrors& errors,
                          int status) {
        add_citizen_fields(page, c);
        page.add_errors(errors);
        auto site = f.site;
        page.data()["when"] =
            page.format_datetime(start, site ? org.zone(*site) : org.default_zone());
        page.data()["asks_beneficiary_number"] = f.motif->asks_beneficiary_number;
        page.data()["phone_required"] = f.mode->channel == core::Channel::phone;
        page.data()["back_url"] = flow_url(org.org.slug, *f.motif, &*f.mode, f.site, page.lang());
        return page.render(status, "citizen/details", page.t("details_step.title"));
    }

    void add_terms(Page& page, const app::OrgData& org) {
        auto& d = page.data();
        d["terms_version"] = std::to_string(org.terms->version);
        d["terms_text"] = paragraphs(org.terms->text.pick(page.lang()));
        d["conduct_rules"] = paragraphs(org.terms->conduct_rules.pick(page.lang()));
        if (!org.org.mediation_contact.empty()) d["mediation_contact"] = org.org.mediation_contact;
    }

    static mstch::array paragraphs(const std::string& text) {
        mstch::array out;
        std::size_t pos = 0;
        while (pos < text.size()) {
            auto nl = text.find('\n', pos);
            if (nl == std::string::npos) nl = text.size();
            if (nl > pos) out.push_back(text.substr(pos, nl - pos));
            pos = nl + 1;
        }
        return out;
    }

    Response review_step(Page& page, const app::OrgData& org, const Flow& f, core::Instant start,
                         const core::CitizenInput& c, const core::FieldErrors& errors, int status) {
        if (!org.terms) return page.error(503, "error_page.no_terms");
        add_citizen_fields(page, c);
        page.add_errors(errors);
        add_terms(page, org);
        auto end = start + core::Instant(f.motif->rules.duration_minutes) * 60;
        page.data()["summary"] = summary(page, org, *f.motif, f.mode->channel, f.site, start, end);
        page.data()["asks_beneficiary_number"] = f.motif->asks_beneficiary_number;
        page.data()["language_name"] =
            page.t("language." + (c.language.empty() ? page.lang() : c.language));
        return page.render(status, "citizen/review", page.t("review_step.title"));
    }

    app::Context& ctx_;
};

}  // namespace

void register_citizen_routes(http::Router& router, app::Context& ctx) {
    auto pages = std::make_shared<CitizenPages>(ctx);
    router.get("/", [pages](Request& r) { return pages->home(r); });
    router.get("/{org}/", [pages](Request& r) { return pages->org_index(r); });
    // /demo -> /demo/, for organisations only: anything else is a plain 404.
    router.get("/{org}", [pages, &ctx](Request& r) {
        auto slug = *r.path_param("org");
        if (slug.size() > 64 || !ctx.booking.organisation(slug)) return pages->not_found(r);
        return Response::redirect("/" + http::url_encode(slug) + "/", 301);
    });
    router.get("/{org}/terms", [pages](Request& r) { return pages->terms(r); });
    router.get("/{org}/book", [pages](Request& r) { return pages->book(r); });
    router.post("/{org}/book/review", [pages](Request& r) { return pages->review(r); });
    router.post("/{org}/book/edit", [pages](Request& r) { return pages->edit(r); });
    router.post("/{org}/book/confirm", [pages](Request& r) { return pages->confirm(r); });
}

}  // namespace vg::web
