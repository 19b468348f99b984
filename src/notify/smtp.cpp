#include "notify/smtp.hpp"

#include <curl/curl.h>

#include <cstring>
#include <memory>

namespace vg::notify {

namespace {
struct Upload {
    const std::string* data;
    std::size_t pos = 0;
};
std::size_t read_cb(char* buf, std::size_t size, std::size_t n, void* user) {
    auto* u = static_cast<Upload*>(user);
    std::size_t left = u->data->size() - u->pos;
    std::size_t len = std::min(left, size * n);
    std::memcpy(buf, u->data->data() + u->pos, len);
    u->pos += len;
    return len;
}
}  // namespace

SendResult SmtpSender::send(const std::string& from, const std::string& to,
                            const std::string& message) const {
    SendResult r;
    if (s_.url.empty()) {
        r.error = "no SMTP server configured";
        return r;
    }
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
    if (!curl) {
        r.error = "curl_easy_init failed";
        return r;
    }
    Upload up{&message};
    curl_slist* rcpt = curl_slist_append(nullptr, ("<" + to + ">").c_str());
    char errbuf[CURL_ERROR_SIZE] = {0};
    CURL* c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, s_.url.c_str());
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, ("<" + from + ">").c_str());
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
    curl_easy_setopt(c, CURLOPT_READDATA, &up);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, curl_off_t(message.size()));
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, s_.connect_timeout_seconds);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, s_.timeout_seconds);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    if (s_.url.rfind("smtp://", 0) == 0) {
        long mode = s_.starttls == "required" ? CURLUSESSL_ALL
                    : s_.starttls == "off"    ? CURLUSESSL_NONE
                                              : CURLUSESSL_TRY;
        curl_easy_setopt(c, CURLOPT_USE_SSL, mode);
    }
    if (!s_.verify_tls) {
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    CURLcode rc = curl_easy_perform(c);
    curl_slist_free_all(rcpt);
    if (rc == CURLE_OK) {
        r.ok = true;
        return r;
    }
    long code = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    r.permanent = code >= 500 && code < 600;
    r.error = std::string(curl_easy_strerror(rc)) + (errbuf[0] ? std::string(": ") + errbuf : "") +
              (code ? " (SMTP " + std::to_string(code) + ")" : "");
    return r;
}

}  // namespace vg::notify
