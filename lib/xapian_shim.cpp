/*
 * xapian_shim.cpp - the only C++ in Fihris: implements db.h over Xapian 1.4.
 *
 * Everything Xapian-specific stays in this file so the rest of the project is
 * plain C.  Each extern "C" entry point runs its body through guard(), which
 * turns every C++ exception into an fh_status and a one-line message; no
 * exception ever reaches C code.  There is no static or global state: each
 * handle owns its Xapian objects and is used by one thread at a time.
 */
#include "fihris/db.h"
#include "fihris/clock.h"
#include "fihris/cluster.h"
#include "fihris/hash.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cerrno>
#include <cstring>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <xapian.h>

/* How many times a reader reopens and retries after DatabaseModifiedError:
 * a writer committing twice during one read is already unusual. */
constexpr int kMaxRetries = 3;

namespace {

/* One shard of a cluster description, and whether it was reached. */
struct Shard {
    bool remote;
    std::string path, host, label;
    unsigned port;
};

} // namespace

struct fh_db {
    std::string path; /* for messages */
    bool writable = false;
    /* A writer keeps a flushed transaction open at all times, because
     * Xapian's destructor otherwise commits pending changes and db.h
     * promises that closing without fh_db_commit() commits nothing. */
    bool in_txn = false;
    Xapian::WritableDatabase wdb; /* used when writable */
    Xapian::Database rdb;         /* used otherwise */
    /* A reader opened from a cluster description (cluster.h): */
    bool cluster = false;
    std::vector<Shard> shards;
    std::vector<Xapian::Database> subs; /* the shards reached, sharing rdb's */
    std::vector<std::string> missing;   /* the labels of those not reached */
    fh_remote_opts remote;
    bool has_names = false;
    Xapian::Database names; /* the name spellings, when the description names them */

    Xapian::Database &reader() { return writable ? wdb : rdb; }
    Xapian::Database &synonyms() { return has_names ? names : reader(); }
};

namespace {

/* The terms a document was given, by 64-bit hash (0 = empty slot), open
 * addressing: Xapian's document can neither tell whether it holds a term
 * without a walk through all of them nor forget a removed term, so the
 * limit on a document's terms is checked here.  A hash that collides lets
 * one term more in, nothing worse. */
class TermSet {
  public:
    /* true when hash h was new (and is now in the set) */
    bool insert(uint64_t h)
    {
        h = h ? h : 1;
        if (2 * (count_ + 1) > slots_.size())
            grow();
        size_t mask = slots_.size() - 1, i = slot(h);
        for (; slots_[i] != 0; i = (i + 1) & mask)
            if (slots_[i] == h)
                return false;
        slots_[i] = h;
        count_++;
        return true;
    }
    bool contains(uint64_t h) const
    {
        h = h ? h : 1;
        if (slots_.empty())
            return false;
        size_t mask = slots_.size() - 1, i = slot(h);
        for (; slots_[i] != 0; i = (i + 1) & mask)
            if (slots_[i] == h)
                return true;
        return false;
    }
    size_t size() const { return count_; }

  private:
    /* FNV-1a's low bits are poorly mixed: take the high bits of a
     * multiplicative hash instead. */
    size_t slot(uint64_t h) const
    {
        return (size_t)((h * 0x9E3779B97F4A7C15ULL) >> 32) & (slots_.size() - 1);
    }
    void grow()
    {
        std::vector<uint64_t> old(slots_.empty() ? 1024 : 2 * slots_.size(), 0);
        old.swap(slots_);
        count_ = 0;
        for (uint64_t h : old)
            if (h != 0)
                insert(h);
    }
    std::vector<uint64_t> slots_;
    size_t count_ = 0;
};

} // namespace

struct fh_doc {
    Xapian::Document doc;
    std::string stored; /* fh_doc_set_data: kept under stored_key, not in doc */
    size_t dropped = 0;
    size_t max_terms = 0; /* 0: no limit */
    size_t refused = 0;   /* new terms refused past max_terms */
    TermSet terms;        /* those given while limited */
};

struct fh_query {
    Xapian::Query q;
};

namespace {

struct Hit {
    double weight;
    std::string value;
    std::string data;
    std::vector<std::string> terms;
};

} // namespace

struct fh_mset {
    std::vector<Hit> hits;
    uint32_t estimated = 0;
    uint32_t lower = 0;
    uint32_t upper = 0;
    bool time_limited = false;
    /* per counted slot: (value, matches), most frequent first */
    std::vector<std::vector<std::pair<std::string, uint32_t>>> counts;
};

namespace {

/* Xapian messages may span lines (for example a quoted term); the project's
 * messages are one line, so fold control characters in place. */
fh_status one_line(fh_error *err, fh_status st)
{
    if (err != nullptr) {
        for (char *p = err->message; *p; ++p)
            if ((unsigned char)*p < 0x20)
                *p = ' ';
    }
    return st;
}

bool path_missing(const char *path)
{
    struct stat st;
    return path != nullptr && stat(path, &st) != 0 && errno == ENOENT;
}

/* Xapian says "not found" both for a missing path and for one it cannot
 * read; only the first means "no database". */
fh_status not_found(fh_error *err, const char *where)
{
    if (where == nullptr || path_missing(where))
        return fh_error_set(err, FH_ERR_NOT_FOUND, "no database at %s", where ? where : "");
    if (access(where, R_OK | X_OK) != 0 && errno == EACCES)
        return fh_error_set(err, FH_ERR_IO, "cannot read the database at %s: %s", where,
                            strerror(EACCES));
    return fh_error_set(err, FH_ERR_NOT_FOUND, "no database at %s (it exists but holds none)",
                        where);
}

/* `where` is optional in messages: "action where: detail" or "action: detail". */
const char *sp(const char *where)
{
    return where && *where ? " " : "";
}

const char *str(const char *where)
{
    return where ? where : "";
}

fh_status xapian_failure(fh_error *err, fh_status st, const char *action, const char *where,
                         const Xapian::Error &e)
{
    /* Only the non-allocating accessors: we may be here because of bad_alloc. */
    const char *os = e.get_error_string();
    fh_error_set(err, st, "%s%s%s: %s: %s%s%s%s", action, sp(where), str(where), e.get_type(),
                 e.get_msg().c_str(), os ? " (" : "", os ? os : "", os ? ")" : "");
    return one_line(err, st);
}

/* A failure the shim describes itself, carried through guard(). */
struct Failure {
    fh_status status;
    std::string message;
};

/* The one catch ladder.  `where` is read only after a throw, so a body that
 * walks several paths (compaction) can point it at the one in hand. */
template <typename Body>
fh_status guard(fh_error *err, const char *action, const char *const &where, Body &&body) noexcept
{
    try {
        return body();
    } catch (const Failure &f) {
        return one_line(err, fh_error_set(err, f.status, "%s", f.message.c_str()));
    } catch (const Xapian::DatabaseLockError &) {
        return fh_error_set(err, FH_ERR_LOCKED,
                            "database is locked: another process is writing %s (an indexer, "
                            "or searchd taking writes)", str(where));
    } catch (const Xapian::DatabaseNotFoundError &) {
        return not_found(err, where);
    } catch (const Xapian::DatabaseVersionError &e) {
        return xapian_failure(err, FH_ERR_CORRUPT, action, where, e);
    } catch (const Xapian::DatabaseOpeningError &e) {
        if (path_missing(where))
            return not_found(err, where);
        /* An OS error (permissions...) is I/O; otherwise the content is bad. */
        fh_status st = e.get_error_string() ? FH_ERR_IO : FH_ERR_CORRUPT;
        return xapian_failure(err, st, action, where, e);
    } catch (const Xapian::DatabaseCreateError &e) {
        return xapian_failure(err, FH_ERR_IO, action, where, e);
    } catch (const Xapian::DatabaseCorruptError &e) {
        return xapian_failure(err, FH_ERR_CORRUPT, action, where, e);
    } catch (const Xapian::DatabaseModifiedError &e) {
        return xapian_failure(err, FH_ERR_MODIFIED, action, where, e);
    } catch (const Xapian::NetworkError &e) {
        return xapian_failure(err, FH_ERR_UNAVAILABLE, action, where, e);
    } catch (const Xapian::Error &e) {
        return xapian_failure(err, FH_ERR_INTERNAL, action, where, e);
    } catch (const std::bad_alloc &) {
        return fh_error_set(err, FH_ERR_NOMEM, "out of memory %s%s%s", action, sp(where),
                            str(where));
    } catch (const std::exception &e) {
        fh_error_set(err, FH_ERR_INTERNAL, "%s%s%s: %s", action, sp(where), str(where), e.what());
        return one_line(err, FH_ERR_INTERNAL);
    } catch (...) {
        return fh_error_set(err, FH_ERR_INTERNAL, "%s%s%s: unknown exception", action, sp(where),
                            str(where));
    }
}

std::string describe_error(const Xapian::Error &e)
{
    const char *os = e.get_error_string();
    return e.get_msg() + (os ? std::string(" (") + os + ")" : std::string());
}

Failure unreachable(const fh_db *db, size_t k, const Xapian::Error &e)
{
    return Failure{FH_ERR_UNAVAILABLE, "shard " + std::to_string(k + 1) + " of " + db->path +
                                           " (" + db->shards[k].label +
                                           ") is unavailable: " + describe_error(e)};
}

/* The shard a network error came from: Xapian names the connection in its
 * context, "remote:tcp(HOST:PORT)". */
Failure failed_during(const fh_db *db, const Xapian::NetworkError &e)
{
    for (size_t k = 0; k < db->shards.size(); k++) {
        const Shard &s = db->shards[k];
        if (s.remote &&
            e.get_context() == "remote:tcp(" + s.host + ":" + std::to_string(s.port) + ")")
            return unreachable(db, k, e);
    }
    return Failure{FH_ERR_UNAVAILABLE,
                   "a shard of " + db->path + " is unavailable: " + describe_error(e)};
}

Xapian::Database open_shard(const Shard &s, const fh_remote_opts &o)
{
    if (!s.remote)
        return Xapian::Database(s.path);
    return Xapian::Remote::open(s.host, s.port, o.timeout_ms, o.connect_timeout_ms);
}

/* (Re)open the shards of a cluster.  One that cannot be reached fails the
 * open or, with allow_partial, is left out and listed in db->missing. */
void open_shards(fh_db *db)
{
    Xapian::Database all;
    std::vector<Xapian::Database> subs;
    std::vector<std::string> missing;
    for (size_t k = 0; k < db->shards.size(); k++) {
        try {
            subs.push_back(open_shard(db->shards[k], db->remote));
        } catch (const Xapian::Error &e) {
            if (!db->remote.allow_partial)
                throw unreachable(db, k, e);
            missing.push_back(db->shards[k].label);
            continue;
        }
        all.add_database(subs.back());
    }
    if (subs.empty())
        throw Failure{FH_ERR_UNAVAILABLE, "no shard of " + db->path + " is available"};
    db->rdb = all;
    db->subs = std::move(subs);
    db->missing = std::move(missing);
}

/* A reader on a cluster description: its shards and names (cluster.h). */
void open_cluster(fh_db *db)
{
    fh_cluster c;
    fh_error e;
    if (fh_cluster_read(db->path.c_str(), &c, &e) != FH_OK)
        throw Failure{e.status, e.message};
    db->cluster = true;
    for (size_t k = 0; k < c.n; k++) {
        const fh_shard_spec &s = c.shards[k];
        db->shards.push_back(Shard{s.remote != 0, s.path ? s.path : "", s.host ? s.host : "",
                                   s.label, s.port});
    }
    std::string names = c.names ? c.names : "";
    fh_cluster_free(&c);
    if (!names.empty()) {
        db->names = Xapian::Database(names);
        db->has_names = true;
    }
    open_shards(db);
}

/* Run a read, reopening and rerunning it when a writer committed meanwhile,
 * and, over a cluster with allow_partial, once without a shard that failed.
 * fn must have no effect outside itself until it returns. */
template <typename Fn>
void with_retry(fh_db *db, Fn &&fn)
{
    for (int retries = 0;; ++retries) {
        try {
            fn();
            return;
        } catch (const Xapian::DatabaseModifiedError &) {
            if (db->writable || retries >= kMaxRetries)
                throw;
            db->rdb.reopen();
        } catch (const Xapian::NetworkError &e) {
            if (!db->cluster)
                throw;
            if (!db->remote.allow_partial || retries >= 1)
                throw failed_during(db, e);
            open_shards(db);
        }
    }
}

fh_status invalid(fh_error *err, const char *what)
{
    return fh_error_set(err, FH_ERR_INVALID, "%s", what);
}

fh_status need_writer(fh_db *db, fh_error *err)
{
    if (db->writable)
        return FH_OK;
    return fh_error_set(err, FH_ERR_INVALID, "database opened read-only (%s)", db->path.c_str());
}

/* The writer's transaction can be missing after a failed commit (Xapian
 * cancels it), so every write makes sure one is open. */
Xapian::WritableDatabase &writer(fh_db *db)
{
    if (!db->in_txn) {
        db->wdb.begin_transaction(true);
        db->in_txn = true;
    }
    return db->wdb;
}

fh_status append(fh_buf *out, const std::string &s, fh_error *err)
{
    if (fh_buf_append(out, s.data(), s.size()) != FH_OK)
        return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    return FH_OK;
}

/* The docid of the document carrying id_term, or 0. */
Xapian::docid find_doc(Xapian::Database &db, const std::string &id_term)
{
    Xapian::PostingIterator it = db.postlist_begin(id_term);
    return it == db.postlist_end(id_term) ? 0 : *it;
}

bool doc_has_term(const Xapian::Document &doc, const std::string &term)
{
    Xapian::TermIterator it = doc.termlist_begin();
    it.skip_to(term);
    return it != doc.termlist_end() && *it == term;
}

/* Terms Xapian would reject are dropped, not errors: one odd token must not
 * lose a whole document. */
bool keep_term(fh_doc *doc, size_t len)
{
    if (len == 0 || len > FH_MAX_TERM_BYTES) {
        doc->dropped++;
        return false;
    }
    return true;
}

/* Whether the document may take term: always, but for a new term once it
 * holds max_terms (fh_doc_limit_terms). */
bool room_for(fh_doc *doc, const std::string &term)
{
    if (doc->max_terms == 0)
        return true;
    uint64_t h = fh_hash64(FH_HASH_SEED, term.data(), term.size());
    if (doc->terms.size() < doc->max_terms) {
        doc->terms.insert(h);
        return true;
    }
    if (doc->terms.contains(h))
        return true;
    doc->refused++;
    return false;
}

fh_status new_query(Xapian::Query q, fh_query **out)
{
    *out = new fh_query{std::move(q)};
    return FH_OK;
}

Xapian::Query::op xapian_op(fh_query_op op)
{
    switch (op) {
    case FH_Q_AND: return Xapian::Query::OP_AND;
    case FH_Q_OR: return Xapian::Query::OP_OR;
    case FH_Q_AND_NOT: return Xapian::Query::OP_AND_NOT;
    case FH_Q_AND_MAYBE: return Xapian::Query::OP_AND_MAYBE;
    case FH_Q_FILTER: return Xapian::Query::OP_FILTER;
    case FH_Q_PHRASE: return Xapian::Query::OP_PHRASE;
    case FH_Q_NEAR: return Xapian::Query::OP_NEAR;
    }
    throw std::invalid_argument("unknown query operator");
}

/* AND_NOT, AND_MAYBE and FILTER treat their first subquery apart from the
 * rest: build op(first, rest) with the rest joined as db.h describes them
 * (a union for AND_NOT/AND_MAYBE; all required for FILTER). */
Xapian::Query first_vs_rest(fh_query_op op, const std::vector<Xapian::Query> &qs)
{
    Xapian::Query::op join = op == FH_Q_FILTER ? Xapian::Query::OP_AND : Xapian::Query::OP_OR;
    Xapian::Query rest(join, qs.begin() + 1, qs.end());
    return Xapian::Query(xapian_op(op), qs.front(), rest);
}

Xapian::Query combine(fh_query_op op, const std::vector<Xapian::Query> &qs, unsigned window)
{
    if (qs.empty())
        return Xapian::Query(); /* matches nothing */
    switch (op) {
    case FH_Q_AND_NOT:
    case FH_Q_AND_MAYBE:
    case FH_Q_FILTER:
        return qs.size() == 1 ? qs.front() : first_vs_rest(op, qs);
    case FH_Q_PHRASE:
    case FH_Q_NEAR:
        return Xapian::Query(xapian_op(op), qs.begin(), qs.end(), window);
    default:
        return Xapian::Query(xapian_op(op), qs.begin(), qs.end());
    }
}

/* Every document of a (sub-)database, in docid order, until a deadline:
 * ANDed with a query as a filter, it ends the match where the deadline
 * finds it, and the hits are then the best of the documents examined.
 * The clock is read every kCheckEvery steps, so a match examines that many
 * candidates even when it starts late.  Local databases only: it cannot be
 * sent to a remote server. */
class DeadlineSource : public Xapian::PostingSource {
  public:
    static constexpr unsigned kCheckEvery = 32;

    DeadlineSource(double deadline_ms, std::shared_ptr<bool> fired)
        : deadline_ms_(deadline_ms), fired_(std::move(fired)) {}

    /* every document, as far as the match goes: the query's own estimates
     * and bounds stay as they are */
    Xapian::doccount get_termfreq_min() const override { return count_; }
    Xapian::doccount get_termfreq_est() const override { return count_; }
    Xapian::doccount get_termfreq_max() const override { return count_; }

    void init(const Xapian::Database &db) override
    {
        did_ = 0;
        last_ = db.get_lastdocid();
        count_ = db.get_doccount();
        steps_ = 0;
        over_ = false;
    }
    void next(double) override { step(did_ + 1); }
    void skip_to(Xapian::docid did, double) override { step(did > did_ ? did : did_); }
    bool at_end() const override { return over_ || did_ > last_; }
    Xapian::docid get_docid() const override { return did_; }
    Xapian::PostingSource *clone() const override
    {
        return new DeadlineSource(deadline_ms_, fired_);
    }

  private:
    void step(Xapian::docid did)
    {
        did_ = did;
        if (++steps_ % kCheckEvery == 0 && did_ <= last_ && fh_clock_ms() >= deadline_ms_)
            over_ = *fired_ = true;
    }

    double deadline_ms_;
    std::shared_ptr<bool> fired_;
    Xapian::docid did_ = 0, last_ = 0;
    Xapian::doccount count_ = 0;
    unsigned steps_ = 0;
    bool over_ = false;
};

/* Whether a search of db reaches a remote server (which cannot run a
 * DeadlineSource). */
bool any_remote(const fh_db *db)
{
    for (const Shard &s : db->shards)
        if (s.remote)
            return true;
    return false;
}

void configure(Xapian::Enquire &enq, const Xapian::Query &q, const fh_search_opts &o)
{
    enq.set_query(q);
    enq.set_weighting_scheme(Xapian::BM25Weight(o.bm25_k1, 0, 1, o.bm25_b, 0.5));
    if (o.sort_value_slot >= 0)
        enq.set_sort_by_value_then_relevance((Xapian::valueno)o.sort_value_slot, true);
}

/* Copy everything a caller may read, so the result outlives later writes. */
std::string stored_data(fh_db *db, Xapian::docid did, const Xapian::Document &doc);

void fill_mset(fh_db *db, const Xapian::Enquire &enq, const Xapian::MSet &ms,
               const fh_search_opts &o, fh_mset &m)
{
    m.estimated = ms.get_matches_estimated();
    m.lower = ms.get_matches_lower_bound();
    m.upper = ms.get_matches_upper_bound();
    m.hits.reserve(ms.size());
    for (Xapian::MSetIterator it = ms.begin(); it != ms.end(); ++it) {
        Hit h{it.get_weight(), {}, {}, {}};
        if (o.fetch_value_slot >= 0)
            h.value = it.get_document().get_value((Xapian::valueno)o.fetch_value_slot);
        if (o.fetch_data)
            h.data = stored_data(db, *it, it.get_document());
        /* a pass over the hit's whole term list: only when asked for, and
         * before the deadline (explanations, which read them, stop there) */
        if (o.fetch_terms && !(o.deadline_ms > 0 && fh_clock_ms() >= o.deadline_ms))
            for (Xapian::TermIterator t = enq.get_matching_terms_begin(it);
                 t != enq.get_matching_terms_end(it); ++t)
                h.terms.push_back(*t);
        m.hits.push_back(std::move(h));
    }
}

/* Xapian's own ValueCountMatchSpy (not a subclass): a remote server can
 * run it, since xapian-tcpsrv knows it by name. */
void copy_counts(const Xapian::ValueCountMatchSpy &spy,
                 std::vector<std::pair<std::string, uint32_t>> &out)
{
    for (Xapian::TermIterator v = spy.values_begin(); v != spy.values_end(); ++v)
        out.emplace_back(*v, v.get_termfreq());
    std::sort(out.begin(), out.end(), [](const auto &a, const auto &b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
}

/* time_limit_s is kept here, not by Enquire::set_time_limit: Xapian 1.4
 * arms a POSIX timer whose SIGEV_THREAD callback sets a flag on
 * get_mset's stack, and timer_delete does not wait for a callback already
 * under way, so a limit that expires as the match ends writes into
 * whatever frame holds that stack next (it crashed test_db now and then
 * on a loaded machine, and could corrupt any searchd worker).  Instead a
 * match spy reads the clock every few matches and, past the limit, ends
 * the match by throwing; the search then runs again without counting
 * (check_at_least 0), which gives what Xapian's limit gives: the right
 * hits, estimated totals and counts.  (deadline_ms, the hard stop, still
 * bounds that second run.) */
using Clock = std::chrono::steady_clock;

struct LimitPassed {};

class LimitSpy : public Xapian::MatchSpy {
    const Clock::time_point limit;
    unsigned seen = 0;

  public:
    explicit LimitSpy(Clock::time_point t) : limit(t) {}
    void operator()(const Xapian::Document &, double) override
    {
        /* the clock every 16th match (from the first): ~20 ns a read */
        if ((seen++ & 15) == 0 && Clock::now() >= limit)
            throw LimitPassed{};
    }
};

/* One match; with a limit, LimitPassed when it comes first. */
void match_once(fh_db *db, const Xapian::Query &q, const fh_search_opts &o,
                Xapian::doccount check_at_least, const Clock::time_point *limit, fh_mset &m)
{
    Xapian::Enquire enq(db->reader());
    configure(enq, q, o);
    std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> spies;
    for (size_t i = 0; i < o.ncount_slots; i++) {
        spies.emplace_back(new Xapian::ValueCountMatchSpy(o.count_slots[i]));
        enq.add_matchspy(spies.back().get());
    }
    std::unique_ptr<LimitSpy> watch;
    if (limit) {
        watch.reset(new LimitSpy(*limit));
        enq.add_matchspy(watch.get());
    }
    Xapian::MSet ms = enq.get_mset(o.offset, o.count, check_at_least);
    fill_mset(db, enq, ms, o, m);
    m.counts.resize(spies.size());
    for (size_t i = 0; i < spies.size(); i++)
        copy_counts(*spies[i], m.counts[i]);
}

/* Neither limit reaches a remote shard (it cannot run a spy or a posting
 * source of ours): its request timeout bounds it. */
void run_search(fh_db *db, const Xapian::Query &query, const fh_search_opts &o, fh_mset &m)
{
    const bool remote = any_remote(db);
    auto fired = std::make_shared<bool>(false);
    DeadlineSource until(o.deadline_ms, fired);
    Xapian::Query q = query;
    if (o.deadline_ms > 0 && !remote)
        q = Xapian::Query(Xapian::Query::OP_FILTER, query, Xapian::Query(&until));
    if (o.time_limit_s <= 0 || remote) {
        match_once(db, q, o, o.check_at_least, nullptr, m);
    } else {
        const Clock::time_point limit =
            Clock::now() + std::chrono::duration_cast<Clock::duration>(
                               std::chrono::duration<double>(o.time_limit_s));
        try {
            match_once(db, q, o, o.check_at_least, &limit, m);
        } catch (const LimitPassed &) {
            m = fh_mset();
            match_once(db, q, o, 0, nullptr, m);
            m.time_limited = true;
        }
    }
    m.time_limited = m.time_limited || *fired;
}

const Hit *hit_at(const fh_mset *m, size_t i)
{
    return m != nullptr && i < m->hits.size() ? &m->hits[i] : nullptr;
}

void open_db(fh_db *db, fh_db_mode mode)
{
    if (mode != FH_DB_READ) {
        db->writable = true;
        int flags = mode == FH_DB_WRITE ? Xapian::DB_CREATE_OR_OPEN : Xapian::DB_OPEN;
        db->wdb = Xapian::WritableDatabase(db->path, flags);
        writer(db);
    } else if (fh_cluster_is_stub(db->path.c_str())) {
        open_cluster(db);
    } else {
        db->rdb = Xapian::Database(db->path);
    }
}

/* ---- stored data ----
 *
 * A document's stored data (fh_doc_set_data) is kept as the database's user
 * metadata under stored_key(its id term), not as Xapian's document data:
 * Xapian deflates document data with zlib on every write and inflates it on
 * every read, while user metadata lives uncompressed in the postlist table.
 * It is written and deleted in the same transaction as the document, so a
 * commit, a crash, a replace or a delete leave the two in step, and the
 * compactor, shards and xapian-tcpsrv carry it as they carry the rest.
 * Databases written before keep it as document data, which is read when
 * there is no metadata for a document. */
std::string stored_key(const std::string &id_term)
{
    return FH_STORED_KEY_PREFIX + id_term;
}

/* The database a document of db's reader is in: its shard in a cluster
 * (documents are interleaved: docid d is in shard (d - 1) mod n), where
 * its metadata is (a combined database reads only its first's). */
Xapian::Database &home_of(fh_db *db, Xapian::docid did)
{
    if (!db->cluster || db->subs.size() <= 1)
        return db->reader();
    return db->subs[(did - 1) % db->subs.size()];
}

/* A document whose stored data is kept as metadata has as its own data
 * this byte and its id term: a reference, a few bytes long (no value slot:
 * Xapian 1.4 writes value chunks from destructors, which a full disk turns
 * into std::terminate, and each slot is one more of them). */
const char STORED_REF = '\x02';

/* The stored data of document did of db's reader: under the key its data
 * refers to, or, written before, its document data itself. */
std::string stored_data(fh_db *db, Xapian::docid did, const Xapian::Document &doc)
{
    std::string data = doc.get_data();
    if (data.empty() || data[0] != STORED_REF)
        return data;
    return home_of(db, did).get_metadata(stored_key(data.substr(1)));
}

/* Shared by get_value and get_data: fetch one field of the document
 * carrying id_term with the reader's retry. */
template <typename Field>
fh_status fetch_field(fh_db *db, const char *id_term, fh_buf *out, int *found, fh_error *err,
                      const char *action, Field &&field)
{
    const char *where = db->path.c_str();
    return guard(err, action, where, [&] {
        std::string id(id_term), s;
        bool present = false;
        with_retry(db, [&] {
            Xapian::docid did = find_doc(db->reader(), id);
            present = did != 0;
            s = present ? field(did, db->reader().get_document(did)) : std::string();
        });
        if (found != nullptr)
            *found = present;
        return append(out, s, err);
    });
}

Xapian::Query value_range(unsigned slot, const char *lo, const char *hi)
{
    if (lo && hi)
        return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot, lo, hi);
    if (lo)
        return Xapian::Query(Xapian::Query::OP_VALUE_GE, slot, lo);
    if (hi)
        return Xapian::Query(Xapian::Query::OP_VALUE_LE, slot, hi);
    return Xapian::Query::MatchAll;
}

} // namespace

extern "C" {

/* ---- databases ---- */

void fh_remote_opts_init(fh_remote_opts *o)
{
    o->connect_timeout_ms = 2000;
    o->timeout_ms = 10000;
    o->allow_partial = 0;
}

void fh_remote_opts_timeout(fh_remote_opts *o, unsigned ms)
{
    o->timeout_ms = ms;
    if (o->connect_timeout_ms > ms)
        o->connect_timeout_ms = ms;
}

/* The options given, or the defaults for NULL. */
static fh_remote_opts remote_or_defaults(const fh_remote_opts *remote)
{
    fh_remote_opts o;
    fh_remote_opts_init(&o);
    return remote != nullptr ? *remote : o;
}

static fh_status open_with(const char *path, fh_db_mode mode, const fh_remote_opts *remote,
                           fh_db **out, fh_error *err)
{
    if (path == nullptr || out == nullptr)
        return invalid(err, "fh_db_open: NULL argument");
    *out = nullptr;
    if (mode != FH_DB_READ && mode != FH_DB_WRITE && mode != FH_DB_UPDATE)
        return invalid(err, "fh_db_open: bad mode");
    return guard(err, "opening", path, [&] {
        std::unique_ptr<fh_db> db(new fh_db);
        db->path = path;
        db->remote = remote_or_defaults(remote);
        open_db(db.get(), mode);
        *out = db.release();
        return FH_OK;
    });
}

fh_status fh_db_open(const char *path, fh_db_mode mode, fh_db **out, fh_error *err)
{
    return open_with(path, mode, nullptr, out, err);
}

fh_status fh_db_open_reader(const char *path, const fh_remote_opts *remote, fh_db **out,
                            fh_error *err)
{
    return open_with(path, FH_DB_READ, remote, out, err);
}

fh_status fh_db_open_shard_writer(const struct fh_shard_spec *shard, const fh_remote_opts *remote,
                                  fh_db **out, fh_error *err)
{
    if (shard == nullptr || out == nullptr)
        return invalid(err, "fh_db_open_shard_writer: NULL argument");
    if (!shard->remote)
        return open_with(shard->path, FH_DB_UPDATE, remote, out, err);
    *out = nullptr;
    const fh_remote_opts o = remote_or_defaults(remote);
    const char *where = shard->label;
    return guard(err, "opening for writing", where, [&] {
        std::unique_ptr<fh_db> db(new fh_db);
        db->path = shard->label;
        db->writable = true;
        try {
            db->wdb = Xapian::Remote::open_writable(shard->host, shard->port, o.timeout_ms,
                                                    o.connect_timeout_ms);
            writer(db.get());
        } catch (const Xapian::InvalidOperationError &) {
            throw Failure{FH_ERR_UNSUPPORTED,
                          std::string(shard->label) + " is read-only: serve it with "
                                                      "xapian-tcpsrv --writable to change it "
                                                      "from here, or run the indexer where its "
                                                      "files are"};
        }
        *out = db.release();
        return FH_OK;
    });
}

size_t fh_db_missing_count(const fh_db *db)
{
    return db ? db->missing.size() : 0;
}

const char *fh_db_missing(const fh_db *db, size_t k)
{
    return db && k < db->missing.size() ? db->missing[k].c_str() : nullptr;
}

void fh_db_close(fh_db *db)
{
    /* Destroying the writer cancels its open transaction: nothing is
     * committed, as db.h promises. */
    delete db;
}

fh_status fh_db_reopen(fh_db *db, fh_error *err)
{
    if (db == nullptr)
        return invalid(err, "fh_db_reopen: NULL database");
    const char *where = db->path.c_str();
    return guard(err, "reopening", where, [&] {
        if (db->writable)
            return FH_OK;
        /* left-out shards are tried again: they may be back */
        if (db->cluster && !db->missing.empty()) {
            open_shards(db);
            return FH_OK;
        }
        with_retry(db, [&] { db->rdb.reopen(); });
        return FH_OK;
    });
}

fh_status fh_db_state(fh_db *db, fh_buf *out, fh_error *err)
{
    if (db == nullptr || out == nullptr)
        return invalid(err, "fh_db_state: NULL argument");
    const char *where = db->path.c_str();
    return guard(err, "reading the revision of", where, [&] {
        std::string state;
        try {
            if (db->cluster)
                for (Xapian::Database &sub : db->subs)
                    state += sub.get_uuid() + ":" + std::to_string(sub.get_revision()) + ";";
            else
                state = db->reader().get_uuid() + ":" + std::to_string(db->reader().get_revision());
        } catch (const Xapian::InvalidOperationError &) {
            return FH_OK; /* several databases: no one revision */
        } catch (const Xapian::UnimplementedError &) {
            return FH_OK; /* a remote shard tells none */
        }
        return fh_buf_append(out, state.data(), state.size()) == FH_OK
                   ? FH_OK : fh_error_set(err, FH_ERR_NOMEM, "out of memory");
    });
}

fh_status fh_db_commit(fh_db *db, fh_error *err)
{
    if (db == nullptr)
        return invalid(err, "fh_db_commit: NULL database");
    if (need_writer(db, err) != FH_OK)
        return FH_ERR_INVALID;
    const char *where = db->path.c_str();
    return guard(err, "committing", where, [&] {
        if (db->in_txn) {
            db->in_txn = false; /* Xapian ends it even when the commit fails */
            db->wdb.commit_transaction();
        }
        writer(db);
        return FH_OK;
    });
}

fh_status fh_db_check_room(fh_db *db, uint64_t need, fh_error *err)
{
    if (db == nullptr)
        return invalid(err, "fh_db_check_room: NULL database");
    struct statvfs fs;
    if (statvfs(db->path.c_str(), &fs) != 0)
        return FH_OK; /* nothing known: the commit will tell */
    uint64_t avail = (uint64_t)fs.f_bavail * fs.f_frsize;
    if (avail >= need)
        return FH_OK;
    return fh_error_set(err, FH_ERR_IO,
                        "committing %s: No space left on device (%llu MB free, a commit of "
                        "this batch may need %llu MB)",
                        db->path.c_str(), (unsigned long long)(avail >> 20),
                        (unsigned long long)((need + (1u << 20) - 1) >> 20));
}

fh_status fh_db_doc_count(fh_db *db, uint32_t *out, fh_error *err)
{
    if (db == nullptr || out == nullptr)
        return invalid(err, "fh_db_doc_count: NULL argument");
    const char *where = db->path.c_str();
    return guard(err, "counting documents in", where, [&] {
        with_retry(db, [&] { *out = db->reader().get_doccount(); });
        return FH_OK;
    });
}

fh_status fh_db_term_freq(fh_db *db, const char *term, size_t len, uint32_t *out, fh_error *err)
{
    if (db == nullptr || out == nullptr || (term == nullptr && len > 0))
        return invalid(err, "fh_db_term_freq: NULL argument");
    const char *where = db->path.c_str();
    return guard(err, "reading term frequency in", where, [&] {
        std::string t(term ? term : "", len);
        /* The empty string would mean "all documents" to Xapian. */
        uint32_t n = 0;
        if (!t.empty())
            with_retry(db, [&] { n = db->reader().get_termfreq(t); });
        *out = n;
        return FH_OK;
    });
}

fh_status fh_db_replace(fh_db *db, const char *id_term, fh_doc *doc, fh_error *err)
{
    if (db == nullptr || id_term == nullptr || *id_term == '\0' || doc == nullptr)
        return invalid(err, "fh_db_replace: NULL or empty argument");
    if (need_writer(db, err) != FH_OK)
        return FH_ERR_INVALID;
    const char *where = db->path.c_str();
    return guard(err, "replacing a document in", where, [&] {
        std::string id(id_term);
        Xapian::WritableDatabase &w = writer(db);
        /* Documents are shared handles: one without its id term gets it on
         * a deep copy, so that it may be stored again under another id. */
        Xapian::Document d = doc->doc;
        if (!doc_has_term(d, id)) {
            d = Xapian::Document::unserialise(doc->doc.serialise());
            d.add_boolean_term(id);
        }
        d.set_data(doc->stored.empty() ? std::string() : STORED_REF + id);
        w.replace_document(id, d);
        w.set_metadata(stored_key(id), doc->stored); /* "" deletes it */
        return FH_OK;
    });
}

fh_status fh_db_delete(fh_db *db, const char *id_term, int *found, fh_error *err)
{
    if (db == nullptr || id_term == nullptr || *id_term == '\0')
        return invalid(err, "fh_db_delete: NULL or empty argument");
    if (need_writer(db, err) != FH_OK)
        return FH_ERR_INVALID;
    const char *where = db->path.c_str();
    return guard(err, "deleting a document in", where, [&] {
        std::string id(id_term);
        Xapian::WritableDatabase &w = writer(db);
        bool present = w.get_termfreq(id) > 0;
        if (present) {
            w.delete_document(id);
            w.set_metadata(stored_key(id), std::string());
        }
        if (found != nullptr)
            *found = present;
        return FH_OK;
    });
}

fh_status fh_db_get_value(fh_db *db, const char *id_term, unsigned slot, fh_buf *out,
                          int *found, fh_error *err)
{
    if (db == nullptr || id_term == nullptr || out == nullptr)
        return invalid(err, "fh_db_get_value: NULL argument");
    return fetch_field(db, id_term, out, found, err, "reading a value in",
                       [slot](Xapian::docid, const Xapian::Document &d) {
                           return d.get_value(slot);
                       });
}

fh_status fh_db_get_data(fh_db *db, const char *id_term, fh_buf *out, int *found,
                         fh_error *err)
{
    if (db == nullptr || id_term == nullptr || out == nullptr)
        return invalid(err, "fh_db_get_data: NULL argument");
    return fetch_field(db, id_term, out, found, err, "reading document data in",
                       [db](Xapian::docid did, const Xapian::Document &d) {
                           return stored_data(db, did, d);
                       });
}

fh_status fh_db_get_metadata(fh_db *db, const char *key, fh_buf *out, fh_error *err)
{
    if (db == nullptr || key == nullptr || *key == '\0' || out == nullptr)
        return invalid(err, "fh_db_get_metadata: NULL or empty argument");
    const char *where = db->path.c_str();
    return guard(err, "reading metadata in", where, [&] {
        std::string k(key), v;
        with_retry(db, [&] { v = db->reader().get_metadata(k); });
        return append(out, v, err);
    });
}

fh_status fh_db_add_synonym(fh_db *db, const char *key, const char *word, fh_error *err)
{
    if (db == nullptr || key == nullptr || *key == '\0' || word == nullptr || *word == '\0')
        return invalid(err, "fh_db_add_synonym: NULL or empty argument");
    if (need_writer(db, err) != FH_OK)
        return FH_ERR_INVALID;
    if (strlen(key) > FH_MAX_TERM_BYTES || strlen(word) > FH_MAX_TERM_BYTES)
        return FH_OK; /* too long for Xapian's tables, and no name */
    const char *where = db->path.c_str();
    return guard(err, "writing synonyms in", where, [&] {
        writer(db).add_synonym(key, word);
        return FH_OK;
    });
}

fh_status fh_db_synonyms(fh_db *db, const char *key, fh_buf *out, size_t *count, fh_error *err)
{
    if (db == nullptr || key == nullptr || out == nullptr || count == nullptr)
        return invalid(err, "fh_db_synonyms: NULL argument");
    *count = 0;
    const char *where = db->path.c_str();
    return guard(err, "reading synonyms in", where, [&] {
        std::vector<std::string> words;
        with_retry(db, [&] {
            words.clear();
            Xapian::Database &r = db->synonyms();
            for (Xapian::TermIterator t = r.synonyms_begin(key); t != r.synonyms_end(key); ++t)
                words.push_back(*t);
        });
        for (const std::string &w : words)
            if (fh_buf_append(out, w.c_str(), w.size() + 1) != FH_OK)
                return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
        *count = words.size();
        return FH_OK;
    });
}

fh_status fh_db_synonym_keys_with_prefix(fh_db *db, const char *prefix, size_t max, fh_buf *out,
                                         size_t *count, int *more, fh_error *err)
{
    if (db == nullptr || prefix == nullptr || out == nullptr || count == nullptr ||
        more == nullptr)
        return invalid(err, "fh_db_synonym_keys_with_prefix: NULL argument");
    *count = 0;
    *more = 0;
    const char *where = db->path.c_str();
    return guard(err, "reading synonym keys in", where, [&] {
        std::vector<std::string> keys;
        with_retry(db, [&] {
            keys.clear();
            *more = 0;
            Xapian::Database &r = db->synonyms();
            for (Xapian::TermIterator t = r.synonym_keys_begin(prefix);
                 t != r.synonym_keys_end(prefix); ++t) {
                if (keys.size() == max) {
                    *more = 1;
                    break;
                }
                keys.push_back(*t);
            }
        });
        for (const std::string &k : keys)
            if (fh_buf_append(out, k.c_str(), k.size() + 1) != FH_OK)
                return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
        *count = keys.size();
        return FH_OK;
    });
}

/* Append terms to out as NUL-terminated strings, all or nothing: a caller
 * must not read half a list. */
static fh_status append_list(fh_buf *out, const std::vector<std::string> &terms, fh_error *err)
{
    const size_t start = out->len;
    for (const std::string &t : terms) {
        if (fh_buf_append(out, t.c_str(), t.size() + 1) != FH_OK) {
            out->len = start;
            if (out->data != nullptr)
                out->data[start] = '\0';
            return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
        }
    }
    return FH_OK;
}

static fh_status list_terms(fh_db *db, const char *prefix, size_t len, size_t max, fh_buf *out,
                            fh_buf *docs, size_t *count, int *more, fh_error *err)
{
    *count = 0;
    *more = 0;
    const char *where = db->path.c_str();
    return guard(err, "listing terms in", where, [&] {
        std::string p(prefix ? prefix : "", len);
        std::vector<std::string> terms;
        std::vector<uint32_t> freqs;
        bool left = false;
        with_retry(db, [&] {
            terms.clear();
            freqs.clear();
            left = false;
            Xapian::Database &r = db->reader();
            Xapian::TermIterator t = r.allterms_begin(p);
            for (; t != r.allterms_end(p) && terms.size() < max; ++t) {
                terms.push_back(*t);
                if (docs != nullptr)
                    freqs.push_back(t.get_termfreq());
            }
            left = t != r.allterms_end(p);
        });
        if (docs != nullptr &&
            fh_buf_append(docs, (const char *)freqs.data(), freqs.size() * sizeof freqs[0]) !=
                FH_OK)
            return fh_error_set(err, FH_ERR_NOMEM, "out of memory");
        if (append_list(out, terms, err) != FH_OK)
            return FH_ERR_NOMEM;
        *count = terms.size();
        *more = left;
        return FH_OK;
    });
}

fh_status fh_db_terms_with_prefix(fh_db *db, const char *prefix, size_t len, size_t max,
                                  fh_buf *out, size_t *count, int *more, fh_error *err)
{
    if (db == nullptr || (prefix == nullptr && len > 0) || out == nullptr || count == nullptr ||
        more == nullptr)
        return invalid(err, "fh_db_terms_with_prefix: NULL argument");
    return list_terms(db, prefix, len, max, out, nullptr, count, more, err);
}

fh_status fh_db_terms_with_prefix_docs(fh_db *db, const char *prefix, size_t len, size_t max,
                                       fh_buf *out, fh_buf *docs, size_t *count, int *more,
                                       fh_error *err)
{
    if (db == nullptr || (prefix == nullptr && len > 0) || out == nullptr || docs == nullptr ||
        count == nullptr || more == nullptr)
        return invalid(err, "fh_db_terms_with_prefix_docs: NULL argument");
    return list_terms(db, prefix, len, max, out, docs, count, more, err);
}

/* The want most frequent of terms (a min-heap of them while scanning). */
namespace {

struct FrequentTerms {
    using Entry = std::pair<Xapian::doccount, std::string>;
    size_t want;
    std::vector<Entry> heap;

    static bool rarer(const Entry &a, const Entry &b)
    {   /* heap order: the rarest (last in byte order among equals) on top */
        return a.first != b.first ? a.first > b.first : a.second < b.second;
    }
    void offer(Xapian::doccount df, const std::string &term)
    {
        Entry e(df, term);
        if (heap.size() < want) {
            heap.push_back(std::move(e));
            std::push_heap(heap.begin(), heap.end(), rarer);
        } else if (want > 0 && rarer(e, heap.front())) {
            std::pop_heap(heap.begin(), heap.end(), rarer);
            heap.back() = std::move(e);
            std::push_heap(heap.begin(), heap.end(), rarer);
        }
    }
    std::vector<std::string> most_first()
    {
        std::sort(heap.begin(), heap.end(), rarer);
        std::vector<std::string> terms;
        for (Entry &e : heap)
            terms.push_back(std::move(e.second));
        return terms;
    }
};

} // namespace

fh_status fh_db_frequent_terms_with_prefix(fh_db *db, const char *prefix, size_t len,
                                           size_t scan, size_t want, fh_buf *out,
                                           size_t *count, fh_error *err)
{
    if (db == nullptr || (prefix == nullptr && len > 0) || out == nullptr || count == nullptr)
        return invalid(err, "fh_db_frequent_terms_with_prefix: NULL argument");
    *count = 0;
    const char *where = db->path.c_str();
    return guard(err, "listing terms in", where, [&] {
        std::string p(prefix ? prefix : "", len);
        std::vector<std::string> top;
        with_retry(db, [&] {
            FrequentTerms f{want, {}};
            Xapian::Database &r = db->reader();
            size_t seen = 0;
            for (Xapian::TermIterator t = r.allterms_begin(p);
                 t != r.allterms_end(p) && seen < scan; ++t, ++seen)
                f.offer(t.get_termfreq(), *t);
            top = f.most_first();
        });
        if (append_list(out, top, err) != FH_OK)
            return FH_ERR_NOMEM;
        *count = top.size();
        return FH_OK;
    });
}

fh_status fh_db_set_metadata(fh_db *db, const char *key, const char *value, fh_error *err)
{
    if (db == nullptr || key == nullptr || *key == '\0' || value == nullptr)
        return invalid(err, "fh_db_set_metadata: NULL or empty argument");
    if (need_writer(db, err) != FH_OK)
        return FH_ERR_INVALID;
    const char *where = db->path.c_str();
    return guard(err, "writing metadata in", where, [&] {
        writer(db).set_metadata(key, value);
        return FH_OK;
    });
}

fh_status fh_db_copy_synonyms(fh_db *to, fh_db *from, const char *prefix, fh_error *err)
{
    if (to == nullptr || from == nullptr || prefix == nullptr)
        return invalid(err, "fh_db_copy_synonyms: NULL argument");
    if (need_writer(to, err) != FH_OK)
        return FH_ERR_INVALID;
    const char *where = from->path.c_str();
    return guard(err, "copying the synonyms of", where, [&] {
        Xapian::Database &src = from->reader();
        for (Xapian::TermIterator k = src.synonym_keys_begin(prefix);
             k != src.synonym_keys_end(prefix); ++k)
            for (Xapian::TermIterator w = src.synonyms_begin(*k); w != src.synonyms_end(*k); ++w)
                to->wdb.add_synonym(*k, *w);
        return FH_OK;
    });
}

fh_status fh_db_compact(const char *const *srcs, size_t n, const char *dest, fh_error *err)
{
    if (srcs == nullptr || n == 0 || dest == nullptr || *dest == '\0')
        return invalid(err, "fh_db_compact: no sources or no destination");
    struct stat st;
    if (stat(dest, &st) == 0)
        return fh_error_set(err, FH_ERR_INVALID, "compaction target already exists: %s", dest);
    const char *where = nullptr;
    return guard(err, "compacting", where, [&] {
        Xapian::Database all;
        for (size_t i = 0; i < n; i++) {
            where = srcs[i];
            all.add_database(Xapian::Database(srcs[i]));
        }
        where = dest;
        all.compact(dest, Xapian::DBCOMPACT_MULTIPASS);
        return FH_OK;
    });
}

/* ---- documents ---- */

fh_doc *fh_doc_new(void)
{
    try {
        return new fh_doc;
    } catch (...) {
        return nullptr;
    }
}

void fh_doc_free(fh_doc *doc)
{
    delete doc;
}

void fh_doc_limit_terms(fh_doc *doc, size_t max_terms)
{
    if (doc != nullptr)
        doc->max_terms = max_terms;
}

size_t fh_doc_term_count(const fh_doc *doc)
{
    try {
        return doc ? doc->doc.termlist_count() : 0;
    } catch (...) {
        return 0; /* a document built here, not read from a database: never */
    }
}

size_t fh_doc_refused_terms(const fh_doc *doc)
{
    return doc ? doc->refused : 0;
}

fh_status fh_doc_add_posting(fh_doc *doc, const char *term, size_t len, uint32_t pos,
                             unsigned wdf_inc, fh_error *err)
{
    if (doc == nullptr || (term == nullptr && len > 0))
        return invalid(err, "fh_doc_add_posting: NULL argument");
    if (!keep_term(doc, len))
        return FH_OK;
    return guard(err, "adding a posting", nullptr, [&] {
        std::string t(term, len);
        if (room_for(doc, t))
            doc->doc.add_posting(t, pos, wdf_inc);
        return FH_OK;
    });
}

fh_status fh_doc_add_term(fh_doc *doc, const char *term, size_t len, unsigned wdf_inc,
                          fh_error *err)
{
    if (doc == nullptr || (term == nullptr && len > 0))
        return invalid(err, "fh_doc_add_term: NULL argument");
    if (!keep_term(doc, len))
        return FH_OK;
    return guard(err, "adding a term", nullptr, [&] {
        std::string t(term, len);
        if (room_for(doc, t))
            doc->doc.add_term(t, wdf_inc);
        return FH_OK;
    });
}

fh_status fh_doc_add_boolean(fh_doc *doc, const char *term, size_t len, fh_error *err)
{
    if (doc == nullptr || (term == nullptr && len > 0))
        return invalid(err, "fh_doc_add_boolean: NULL argument");
    if (!keep_term(doc, len))
        return FH_OK;
    return guard(err, "adding a boolean term", nullptr, [&] {
        std::string t(term, len);
        if (room_for(doc, t))
            doc->doc.add_boolean_term(t);
        return FH_OK;
    });
}

fh_status fh_doc_set_value(fh_doc *doc, unsigned slot, const char *data, size_t len,
                           fh_error *err)
{
    if (doc == nullptr || (data == nullptr && len > 0))
        return invalid(err, "fh_doc_set_value: NULL argument");
    if (slot == Xapian::BAD_VALUENO)
        return invalid(err, "fh_doc_set_value: bad slot");
    return guard(err, "setting a value", nullptr, [&] {
        doc->doc.add_value(slot, std::string(data ? data : "", len));
        return FH_OK;
    });
}

fh_status fh_doc_set_data(fh_doc *doc, const char *data, size_t len, fh_error *err)
{
    if (doc == nullptr || (data == nullptr && len > 0))
        return invalid(err, "fh_doc_set_data: NULL argument");
    return guard(err, "setting document data", nullptr, [&] {
        doc->stored.assign(data ? data : "", len);
        return FH_OK;
    });
}

size_t fh_doc_dropped_terms(const fh_doc *doc)
{
    return doc ? doc->dropped : 0;
}

/* ---- queries ---- */

fh_status fh_query_term(const char *term, size_t len, unsigned wqf, uint32_t pos,
                        fh_query **out, fh_error *err)
{
    if (out == nullptr || (term == nullptr && len > 0))
        return invalid(err, "fh_query_term: NULL argument");
    *out = nullptr;
    return guard(err, "building a term query", nullptr, [&] {
        /* Xapian reads the empty term as "every document"; no document
         * carries an empty term, so it must match nothing. */
        if (len == 0)
            return new_query(Xapian::Query(), out);
        return new_query(Xapian::Query(std::string(term, len), wqf, pos), out);
    });
}

fh_status fh_query_combine(fh_query_op op, fh_query *const *subs, size_t n, unsigned window,
                           fh_query **out, fh_error *err)
{
    if (out == nullptr || (subs == nullptr && n > 0))
        return invalid(err, "fh_query_combine: NULL argument");
    *out = nullptr;
    for (size_t i = 0; i < n; i++)
        if (subs[i] == nullptr)
            return invalid(err, "fh_query_combine: NULL subquery");
    return guard(err, "combining queries", nullptr, [&] {
        std::vector<Xapian::Query> qs;
        qs.reserve(n);
        for (size_t i = 0; i < n; i++)
            qs.push_back(subs[i]->q);
        return new_query(combine(op, qs, window), out);
    });
}

fh_status fh_query_scale(const fh_query *q, double factor, fh_query **out, fh_error *err)
{
    if (q == nullptr || out == nullptr)
        return invalid(err, "fh_query_scale: NULL argument");
    *out = nullptr;
    if (!(factor >= 0))
        return invalid(err, "fh_query_scale: factor must be >= 0");
    return guard(err, "scaling a query", nullptr, [&] {
        return new_query(Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q->q, factor), out);
    });
}

fh_status fh_query_match_all(fh_query **out, fh_error *err)
{
    if (out == nullptr)
        return invalid(err, "fh_query_match_all: NULL argument");
    *out = nullptr;
    return guard(err, "building a match-all query", nullptr,
                 [&] { return new_query(Xapian::Query::MatchAll, out); });
}

fh_status fh_query_value_range(unsigned slot, const char *lo, const char *hi, fh_query **out,
                               fh_error *err)
{
    if (out == nullptr)
        return invalid(err, "fh_query_value_range: NULL argument");
    *out = nullptr;
    return guard(err, "building a value range query", nullptr,
                 [&] { return new_query(value_range(slot, lo, hi), out); });
}

fh_status fh_query_describe(const fh_query *q, fh_buf *out, fh_error *err)
{
    if (q == nullptr || out == nullptr)
        return invalid(err, "fh_query_describe: NULL argument");
    return guard(err, "describing a query", nullptr,
                 [&] { return append(out, q->q.get_description(), err); });
}

void fh_query_free(fh_query *q)
{
    delete q;
}

/* ---- searching ---- */

void fh_search_opts_init(fh_search_opts *opts)
{
    if (opts == nullptr)
        return;
    opts->bm25_k1 = 1.2;
    opts->bm25_b = 0.75;
    opts->offset = 0;
    opts->count = 10;
    opts->check_at_least = 0;
    opts->sort_value_slot = -1;
    opts->fetch_data = 1;
    opts->fetch_terms = 1;
    opts->fetch_value_slot = -1;
    opts->count_slots = nullptr;
    opts->ncount_slots = 0;
    opts->time_limit_s = 0;
    opts->deadline_ms = 0;
}

fh_status fh_db_search(fh_db *db, const fh_query *q, const fh_search_opts *opts,
                       fh_mset **out, fh_error *err)
{
    if (db == nullptr || q == nullptr || out == nullptr)
        return invalid(err, "fh_db_search: NULL argument");
    *out = nullptr;
    fh_search_opts defaults;
    fh_search_opts_init(&defaults);
    const fh_search_opts &o = opts ? *opts : defaults;
    const char *where = db->path.c_str();
    return guard(err, "searching", where, [&] {
        std::unique_ptr<fh_mset> m;
        with_retry(db, [&] {
            m.reset(new fh_mset);
            run_search(db, q->q, o, *m);
        });
        *out = m.release();
        return FH_OK;
    });
}

size_t fh_mset_size(const fh_mset *m)
{
    return m ? m->hits.size() : 0;
}

uint32_t fh_mset_estimated(const fh_mset *m)
{
    return m ? m->estimated : 0;
}

uint32_t fh_mset_lower_bound(const fh_mset *m)
{
    return m ? m->lower : 0;
}

uint32_t fh_mset_upper_bound(const fh_mset *m)
{
    return m ? m->upper : 0;
}

int fh_mset_time_limited(const fh_mset *m)
{
    return m && m->time_limited;
}

double fh_mset_weight(const fh_mset *m, size_t i)
{
    const Hit *h = hit_at(m, i);
    return h ? h->weight : 0.0;
}

fh_status fh_db_weight_in(fh_db *db, const fh_query *q, const char *id_term,
                          const fh_search_opts *opts, double *weight, fh_error *err)
{
    if (db == nullptr || q == nullptr || id_term == nullptr || weight == nullptr)
        return invalid(err, "fh_db_weight_in: NULL argument");
    fh_search_opts defaults;
    fh_search_opts_init(&defaults);
    const fh_search_opts &o = opts ? *opts : defaults;
    *weight = 0;
    const char *where = db->path.c_str();
    return guard(err, "searching", where, [&] {
        with_retry(db, [&] {
            Xapian::Enquire enq(db->reader());
            Xapian::Query only(Xapian::Query::OP_FILTER, q->q, Xapian::Query(id_term));
            configure(enq, only, o);
            Xapian::MSet ms = enq.get_mset(0, 1);
            *weight = ms.empty() ? 0.0 : ms.begin().get_weight();
        });
        return FH_OK;
    });
}

const char *fh_mset_value(const fh_mset *m, size_t i, size_t *len)
{
    const Hit *h = hit_at(m, i);
    if (len != nullptr)
        *len = h ? h->value.size() : 0;
    return h ? h->value.c_str() : nullptr;
}

const char *fh_mset_data(const fh_mset *m, size_t i, size_t *len)
{
    const Hit *h = hit_at(m, i);
    if (len != nullptr)
        *len = h ? h->data.size() : 0;
    return h ? h->data.c_str() : nullptr;
}

size_t fh_mset_term_count(const fh_mset *m, size_t i)
{
    const Hit *h = hit_at(m, i);
    return h ? h->terms.size() : 0;
}

const char *fh_mset_term(const fh_mset *m, size_t i, size_t k, size_t *len)
{
    const Hit *h = hit_at(m, i);
    const std::string *t = h && k < h->terms.size() ? &h->terms[k] : nullptr;
    if (len != nullptr)
        *len = t ? t->size() : 0;
    return t ? t->c_str() : nullptr;
}

size_t fh_mset_count_size(const fh_mset *m, size_t slot_index)
{
    return m && slot_index < m->counts.size() ? m->counts[slot_index].size() : 0;
}

const char *fh_mset_count_value(const fh_mset *m, size_t slot_index, size_t k, size_t *len,
                                uint32_t *count)
{
    const std::pair<std::string, uint32_t> *c =
        k < fh_mset_count_size(m, slot_index) ? &m->counts[slot_index][k] : nullptr;
    if (len != nullptr)
        *len = c ? c->first.size() : 0;
    if (count != nullptr)
        *count = c ? c->second : 0;
    return c ? c->first.c_str() : nullptr;
}

void fh_mset_free(fh_mset *m)
{
    delete m;
}

} /* extern "C" */
