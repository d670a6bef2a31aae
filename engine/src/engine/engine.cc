// EngineImpl: the facade of toegang::Engine (toegang/engine.h). It checks
// the inputs of each call, takes the writer lock where a call needs it, and
// hands the work to the engine's parts, each in its own file here:
//
//   Settings        OpenOptions resolved once into what the parts go by
//   ModelHolder     the model's two instances (left-right), loads, twin,
//                   change sets applied, compaction
//   SnapshotKeeper  the index snapshot: start from it, hand-over to the
//                   model, the watcher thread, writing it
//   Follower        catching up with other processes' commits (change log)
//   Committer       one mutation from plan to durable commit
//   Importer        the registry imports
//   HealthRecord    StartupInfo and FollowState (leaf mutex)
//   StopSignal      closing, for the engine's threads (leaf mutex)
//
// Checks (Check, Allowed) read the mapped snapshot until the model is
// loaded, then the model, through one CheckReader interface
// (check/check_reader.h), without a lock. See docs/architecture.md.
//
// Locks. The facade owns the writer lock, write_mu_: it serializes
// writers (Apply, the imports, catch-ups, the first load) and every use of
// the store, and it is the lock every part's "writer lock held" means.
// Queries take no lock, except the first query of a one-shot engine that
// needs the graph (it loads it under write_mu_) and Audit, Verify and
// GetStats (they read the store). Lock order: write_mu_, then a leaf
// (HealthRecord, StopSignal). Threads: the caller's; the background thread
// (below: the load after a snapshot start, following, idle snapshots); the
// snapshot watcher (SnapshotKeeper); the twin's task (ModelHolder).
#include "toegang/engine.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "base/exception_boundary.h"
#include "base/time_util.h"
#include "check/check_reader.h"
#include "check/index_snapshot.h"
#include "engine/committer.h"
#include "engine/follower.h"
#include "engine/graph_load_sink.h"
#include "engine/guarded_engine.h"
#include "engine/health_record.h"
#include "engine/importer.h"
#include "engine/model_holder.h"
#include "engine/part_model.h"
#include "engine/settings.h"
#include "engine/snapshot_keeper.h"
#include "engine/stop_signal.h"
#include "import/import_impact.h"
#include "model/catalogue.h"
#include "model/text_forms.h"
#include "rules/cards.h"
#include "rules/cascade.h"
#include "rules/explain.h"
#include "rules/graph_dot.h"
#include "rules/listings.h"
#include "rules/name_index.h"
#include "rules/rules.h"
#include "store/open_store.h"
#include "toegang/error_codes.h"
#include "toegang/identifiers.h"

namespace toegang {
namespace {

class EngineImpl : public Engine {
 public:
  EngineImpl(std::unique_ptr<Store> store, Settings settings)
      : settings_(std::move(settings)),
        store_(std::move(store)),
        model_(&catalogue_, &settings_),
        snapshot_(store_.get(), &catalogue_, &settings_, &health_, &stop_),
        follower_(store_.get(), &model_, &health_),
        importer_([this](const Importer::Body& body) {
          return ImportLocked(body);
        }) {}

  ~EngineImpl() override {
    stop_.Stop();
    follower_.Interrupt();
    snapshot_.StopWatcher();
    if (background_.joinable()) background_.join();
    model_.WaitForTwin();  // the copy reads the model
    // Leave a current snapshot for the next start (a cache: errors are
    // ignored).
    (void)CatchAll("writing the index snapshot", [&] {
      snapshot_.WriteAtClose(model_);
      return Status::Ok();
    });
  }

  // A query over the model. A one-shot engine without a full model reads
  // the part of the federation `scope` reaches (part_model.h), under the
  // writer lock; any other loads the model first if opening left that for
  // later, then reads one instance without a lock. fn returns a Result.
  template <typename Fn,
            typename R = std::invoke_result_t<Fn&, const ModelPtr&>>
  R OnModel(const LoadScope& scope, Fn&& fn) const {
    if (settings_.parts && !snapshot_.model_ready()) {
      std::lock_guard<std::mutex> writer(write_mu_);
      if (!snapshot_.model_ready()) {
        Result<ModelPtr> part = PartLocked(scope);
        if (!part.ok()) return part.status();
        return fn(*part);
      }
    }
    Status ready = ModelForQuery();
    if (!ready.ok()) return ready;
    return model_.Read(std::forward<Fn>(fn));
  }

  // A query over the whole model (a search across every name): loads the
  // model first if opening left that for later, one-shot engines too.
  template <typename Fn,
            typename R = std::invoke_result_t<Fn&, const ModelPtr&>>
  R OnWholeModel(Fn&& fn) const {
    Status ready = ModelForQuery();
    if (!ready.ok()) return ready;
    return model_.Read(std::forward<Fn>(fn));
  }

  Status Init() {
    Status s = store_->LoadCatalogue(&catalogue_);
    if (!s.ok()) return s;
    if (settings_.parts) {
      // A one-shot engine reads parts of the federation until a call needs
      // all of it (OnModel), and looks at the index snapshot (which costs
      // its validation, a read of the whole file) only for a check.
      Result<uint64_t> stored = store_->CurrentRevision();
      if (!stored.ok()) return stored.status();
      model_.set_published_revision(*stored);
      return Status::Ok();
    }
    snapshot_looked_.store(true, std::memory_order_release);
    const bool answering = settings_.snapshots && snapshot_.Start(&model_);
    snapshot_.StartWatcher();
    if (!answering) {
      std::lock_guard<std::mutex> writer(write_mu_);
      s = LoadedLocked();
      if (!s.ok()) return s;
    }
    if (!settings_.lazy &&
        (answering || settings_.follows() || settings_.keeps_snapshot())) {
      if (settings_.follows()) follower_.Listen();
      background_ = std::thread([this] { Background(); });
    }
    return Status::Ok();
  }

  Result<CommitInfo> Apply(const Mutation& m) override {
    // Refused before anything is loaded, planned or recorded.
    if (store_->read_only()) return store_->ReadOnlyRefusal("a change");
    std::lock_guard<std::mutex> writer(write_mu_);
    if (settings_.parts && !snapshot_.model_ready())
      return ApplyToPartLocked(m);
    // The model and its second instance first, so that a first load does
    // not hold the database's write lock.
    Status ready = LoadedLocked();
    if (!ready.ok()) return ready;
    model_.TwinReady();
    // Then plan and commit under the database's write lock: no other
    // process can commit between the catch-up and the commit, so a busy
    // writer elsewhere cannot starve this one (it waits its turn, up to the
    // store's busy timeout).
    Result<std::unique_ptr<WriteLock>> lock = store_->BeginWrite();
    if (!lock.ok()) return lock.status();
    Status fresh = CatchUpLocked();
    if (!fresh.ok()) return fresh;
    ChangeSet committed;
    Result<CommitInfo> info = CommitMutation(*store_, **lock, catalogue_,
                                             model_.writer(), m, &committed);
    if (info.ok()) model_.Publish({std::move(committed)});
    return info;
  }

  Status May(const Mutation& m) const override {
    return OnModel(MutationScope(m), [&](const ModelPtr& model) {
      return PlanMutation(model->graph, m, NowSeconds(),
                          model->graph.max_subafdeling_id() + 1)
          .status;
    });
  }

  Result<MutationPreview> Preview(const Mutation& m) const override {
    return OnModel(MutationScope(m),
                   [&](const ModelPtr& model) -> Result<MutationPreview> {
                     Plan plan =
                         PlanMutation(model->graph, m, NowSeconds(),
                                      model->graph.max_subafdeling_id() + 1);
                     if (!plan.status.ok()) return plan.status;
                     MutationPreview preview;
                     preview.revision = model->revision;
                     preview.cascade = CascadeOf(model->graph, plan.changes);
                     return preview;
                   });
  }

  Result<Decision> Check(std::string_view insz, std::string_view application,
                         std::string_view hco) const override {
    // One pass over the index.
    return Decide(
        insz, application, hco,
        [&](const CheckReader auto& index) -> Result<Decision> {
          Result<Question> q = ParseQuestionAt(index, insz, application, hco);
          if (!q.ok()) return q.status();
          Decision d;
          d.revision = index.revision();
          d.insz = InszDigits(q->insz);
          d.application = std::string(application);
          d.hco = std::string(hco);
          const std::optional<uint32_t> at = FacilityOf(index, q->hco);
          if (!at) return d;  // unknown facility: denied
          d.facilities = index.GrantingHcos(q->insz, q->app, *at);
          d.allowed = !d.facilities.empty();
          return d;
        });
  }

  Result<bool> Allowed(std::string_view insz, std::string_view application,
                       std::string_view hco,
                       uint64_t* revision) const override {
    return Decide(
        insz, application, hco,
        [&](const CheckReader auto& index) -> Result<bool> {
          Result<Question> q = ParseQuestionAt(index, insz, application, hco);
          if (!q.ok()) return q.status();
          if (revision != nullptr) *revision = index.revision();
          const std::optional<uint32_t> at = FacilityOf(index, q->hco);
          return at && index.Allowed(q->insz, q->app, *at);
        });
  }
  Result<Explanation> Explain(std::string_view insz,
                              std::string_view application,
                              std::string_view hco, Lang lang) const override {
    Result<Question> q = ParseQuestion(insz, application, hco);
    if (!q.ok()) return q.status();
    return OnModel(QuestionScope(insz, hco),
                   [&](const ModelPtr& model) -> Result<Explanation> {
                     return ExplainDecision(model->graph, q->insz, q->app,
                                            q->hco, lang, model->revision);
                   });
  }

  Result<Page<AccessEntry>> Access(std::string_view insz,
                                   const PageRequest& page) const override {
    Result<uint64_t> person = PersonAndPage(insz, page);
    if (!person.ok()) return person.status();
    return OnModel(QuestionScope(insz), [&](const ModelPtr& model) {
      return ListAccess(model->graph, *person, page, model->revision);
    });
  }

  Result<Page<UserEntry>> Users(std::string_view hco,
                                std::string_view application,
                                const PageRequest& page) const override {
    Result<Hco> h = Hco::Parse(hco);
    if (!h.ok()) return h.status();
    std::optional<AppId> app;
    if (!application.empty()) {
      Result<AppId> a = catalogue_.FindApplication(application);
      if (!a.ok()) return a.status();
      app = *a;
    }
    Status p = CheckPage(page);
    if (!p.ok()) return p;
    return OnModel(FacilityScope(h->str()), [&](const ModelPtr& model) {
      return ListUsers(model->graph, h->str(), app, page, model->revision);
    });
  }

  Result<Page<ManagedEntry>> ManagedBy(std::string_view insz,
                                       const PageRequest& page) const override {
    Result<uint64_t> person = PersonAndPage(insz, page);
    if (!person.ok()) return person.status();
    return OnModel(QuestionScope(insz), [&](const ModelPtr& model) {
      return ListManagedBy(model->graph, *person, page, model->revision);
    });
  }

  Result<WhoReport> Who(std::string_view kbo) const override {
    Result<Kbo> k = Kbo::Parse(kbo);
    if (!k.ok()) return k.status();
    return OnModel(EnterpriseScope(k->value()), [&](const ModelPtr& model) {
      return DescribeEnterprise(model->graph, k->value(), model->revision);
    });
  }

  Result<PersonCard> WhoPerson(std::string_view insz,
                               Lang lang) const override {
    Result<Insz> person = Insz::Parse(insz);
    if (!person.ok()) return person.status();
    return OnModel(QuestionScope(insz),
                   [&](const ModelPtr& model) -> Result<PersonCard> {
                     return DescribePerson(model->graph, person->value(), lang,
                                           model->revision);
                   });
  }

  Result<FacilityCard> WhoFacility(std::string_view hco) const override {
    Result<Hco> h = Hco::Parse(hco);
    if (!h.ok()) return h.status();
    return OnModel(FacilityScope(h->str()), [&](const ModelPtr& model) {
      return DescribeFacility(model->graph, h->str(), model->revision);
    });
  }

  Result<Page<NameHit>> FindByName(std::string_view prefix,
                                   const PageRequest& page) const override {
    Status p = CheckPage(page);
    if (!p.ok()) return p;
    return OnWholeModel([&](const ModelPtr& model) {
      return model->names->Get(model->graph)
          ->Find(model->graph, prefix, page, model->revision);
    });
  }

  Result<std::string> GraphDot(std::string_view kbo,
                               const GraphOptions& options) const override {
    Result<Kbo> k = Kbo::Parse(kbo);
    if (!k.ok()) return k.status();
    return OnModel(EnterpriseScope(k->value()),
                   [&](const ModelPtr& model) -> Result<std::string> {
                     Vertex e = model->graph.FindEnterprise(k->value());
                     if (e == kNoVertex) {
                       return Status::Refused(
                           code::kEnterpriseUnknown,
                           fmt::format("enterprise {} is not in the KBO "
                                       "registry",
                                       k->Display()));
                     }
                     return EnterpriseDot(model->graph, e, options);
                   });
  }

  Status ImportKbo(const std::string& enterprises_csv,
                   const std::string& denominations_csv,
                   const ImportOptions& options,
                   ImportReport* report) override {
    return importer_.ImportKbo(enterprises_csv, denominations_csv, options,
                               report);
  }
  Status ImportKboOpenData(const std::string& path,
                           const ImportOptions& options,
                           ImportReport* report) override {
    return importer_.ImportKboOpenData(path, options, report);
  }
  Status ImportPersons(const std::string& csv, const ImportOptions& options,
                       ImportReport* report) override {
    return importer_.ImportPersons(csv, options, report);
  }
  Status ImportFunctions(const std::string& csv, const ImportOptions& options,
                         ImportReport* report) override {
    return importer_.ImportFunctions(csv, options, report);
  }
  Status ImportFacilities(const std::string& csv, const ImportOptions& options,
                          ImportReport* report) override {
    return importer_.ImportFacilities(csv, options, report);
  }

  Result<std::vector<AuditRecord>> Audit(
      const AuditQuery& query) const override {
    AuditQuery q = query;
    if (!q.kbo.empty()) {
      Result<Kbo> k = Kbo::Parse(q.kbo);
      if (!k.ok()) return k.status();
      q.kbo = k->ToString();
    }
    if (!q.insz.empty()) {
      Result<Insz> i = Insz::Parse(q.insz);
      if (!i.ok()) return i.status();
      q.insz = i->ToString();
    }
    if (!q.hco.empty()) {
      Result<Hco> h = Hco::Parse(q.hco);
      if (!h.ok()) return h.status();
      q.hco = h->str();
    }
    std::lock_guard<std::mutex> writer(write_mu_);
    return store_->ReadAudit(q);
  }

  using Engine::Verify;
  Result<std::vector<std::string>> Verify(
      const VerifyOptions& options) const override {
    std::lock_guard<std::mutex> writer(write_mu_);
    // A model in memory before this call was built by applying changes and
    // is compared with a fresh load; one loaded here would be that load.
    const bool had_model = snapshot_.model_ready();
    const int steps = 3;
    int step = 0;
    auto begin = [&](std::string_view what) {
      if (options.progress) options.progress(what, ++step, steps);
    };
    begin(options.thorough ? "checking the database and its indexes"
                           : "checking the database");
    Result<std::vector<std::string>> storage =
        store_->CheckIntegrity(options.thorough);
    if (!storage.ok()) return storage.status();
    std::vector<std::string> problems = *storage;
    if (!had_model) {
      begin("loading the graph");
      Status ready = LoadedLocked();
      if (!ready.ok()) return ready;
    }
    begin("checking the model's rules");
    const Model& mine_model = model_.writer();
    for (const std::string& p : mine_model.graph.CheckInvariants()) {
      problems.push_back("graph: " + p);
    }
    if (!had_model) return problems;
    // The graph in memory must equal one freshly loaded from the database.
    begin("comparing the graph with the database");
    auto fresh = std::make_unique<DelegationGraph>(&catalogue_);
    GraphLoadSink sink(fresh.get());
    Result<uint64_t> rev = store_->Load(&sink);
    if (!rev.ok()) return rev.status();
    fresh->Compact();  // the staged edges join it (Store::Load)
    if (*rev == mine_model.revision) {
      std::vector<std::string> mine = mine_model.graph.Dump();
      std::vector<std::string> theirs = fresh->Dump();
      if (mine != theirs) {
        problems.push_back(fmt::format(
            "the in-memory graph ({} facts) differs from the database ({} "
            "facts)",
            mine.size(), theirs.size()));
      }
    }
    for (const std::string& p : fresh->CheckInvariants()) {
      problems.push_back("database: " + p);
    }
    return problems;
  }

  Result<Stats> GetStats() const override {
    std::lock_guard<std::mutex> writer(write_mu_);
    // A one-shot engine reading parts counts in the store only: the graph
    // figures would cost the whole graph's load.
    const bool counts_only = settings_.parts && !snapshot_.model_ready();
    if (!counts_only) {
      Status ready = LoadedLocked();
      if (!ready.ok()) return ready;
    }
    Result<StoreCounts> c = store_->Counts();
    if (!c.ok()) return c.status();
    Stats s;
    s.enterprises = c->enterprises;
    s.active_enterprises = c->active_enterprises;
    s.persons = c->persons;
    s.facilities = c->facilities;
    s.htbs = c->htbs;
    s.domain_managers = c->domain_managers;
    s.subafdelingen = c->subafdelingen;
    s.users = c->users;
    s.rights = c->rights;
    s.audit_rows = c->audit_rows;
    if (counts_only) {
      Result<uint64_t> stored = store_->CurrentRevision();
      if (!stored.ok()) return stored.status();
      s.revision = *stored;
      s.graph_loaded = false;
      return s;
    }
    const Model& model = model_.writer();
    s.revision = model.revision;
    s.graph_vertices = num_vertices(model.graph.graph());
    s.graph_edges = num_edges(model.graph.graph());
    s.graph_overlay_edges = model.graph.graph().overlay_edge_count();
    s.graph_base_edges = s.graph_edges - s.graph_overlay_edges;
    s.overlay_persons = model.graph.check_index().own_persons();
    s.compactions = model_.compactions();
    s.name_index_entries = model.names->built_size();
    s.index_bytes = model.graph.check_index().MemoryBytes();
    s.mapped_base_bytes = model.graph.mapped_base_bytes();
    return s;
  }

  uint64_t revision() const override { return model_.published_revision(); }

  Status Refresh() override {
    std::lock_guard<std::mutex> writer(write_mu_);
    return CatchUpLocked();
  }

  StartupInfo startup() const override {
    SnapshotLooked();
    return health_.Startup(snapshot_.model_ready(), model_.load_ms());
  }

  FollowState follow_state() const override {
    // Two stat calls; the store's file identities are fixed at opening.
    const Status files = store_->CheckHealth();
    return health_.Follow(revision(), model_.compactions(), files);
  }

  Status CatchUp(uint64_t revision, std::chrono::milliseconds bound) override {
    const auto deadline = std::chrono::steady_clock::now() + bound;
    for (;;) {
      {
        std::lock_guard<std::mutex> writer(write_mu_);
        Status s = CatchUpLocked();
        if (!s.ok()) return s;
        if (model_.writer().revision >= revision) return Status::Ok();
      }
      if (std::chrono::steady_clock::now() >= deadline) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return Status::Storage(
        code::kRevisionNotReached,
        fmt::format("the database is at revision {}, not yet at {}, after "
                    "waiting {} ms; the change waited for has not been "
                    "committed",
                    this->revision(), revision, bound.count()));
  }

 private:
  // The validated inputs of check and explain.
  struct Question {
    uint64_t insz = 0;
    AppId app = 0;
    std::string hco;  // canonical, or empty
  };
  Result<Question> ParseQuestion(std::string_view insz,
                                 std::string_view application,
                                 std::string_view hco) const {
    Result<Insz> person = Insz::Parse(insz);
    if (!person.ok()) return person.status();
    Result<AppId> app = catalogue_.FindApplication(application);
    if (!app.ok()) return app.status();
    Question q{person->value(), *app, {}};
    if (!hco.empty()) {
      Result<Hco> h = Hco::Parse(hco);
      if (!h.ok()) return h.status();
      q.hco = h->str();
    }
    return q;
  }

  // ParseQuestion inside a read of `index`, for a check: as soon as the
  // INSZ's digits are known (the plain 11-digit form gateways send) the
  // index starts loading the person's first cache line, so that validating
  // the INSZ and finding the application and the facility overlap that
  // load, the one cache miss of a check at M.
  template <typename Index>
  Result<Question> ParseQuestionAt(const Index& index, std::string_view insz,
                                   std::string_view application,
                                   std::string_view hco) const {
    uint64_t value = 0;
    const char* end = insz.data() + insz.size();
    if (insz.size() == 11 &&
        std::from_chars(insz.data(), end, value).ptr == end) {
      index.Prefetch(value);  // a hint: an invalid INSZ is refused below
    }
    return ParseQuestion(insz, application, hco);
  }

  // The inputs of access(insz) and managed-by(insz).
  static Result<uint64_t> PersonAndPage(std::string_view insz,
                                        const PageRequest& page) {
    Result<Insz> person = Insz::Parse(insz);
    if (!person.ok()) return person.status();
    Status p = CheckPage(page);
    if (!p.ok()) return p;
    return person->value();
  }

  static Status CheckPage(const PageRequest& page) {
    if (page.limit == 0 || page.limit > 10000) {
      return Status::InvalidInput(code::kUsage,
                                  "a page holds 1 to 10000 entries (--limit)");
    }
    return Status::Ok();
  }

  // The facility a check is asked about: kAnyFacility when none is given,
  // nullopt for one the index does not know (the check is then denied).
  static std::optional<uint32_t> FacilityOf(const CheckReader auto& index,
                                            const std::string& hco) {
    if (hco.empty()) return CheckIndex::kAnyFacility;
    return index.FindFacility(hco);
  }

  // Runs ask(a CheckReader) on the index snapshot while checks read it,
  // else on the model. Takes no lock.
  template <typename Ask>
  std::invoke_result_t<Ask, const MappedCheckIndex&> Decide(
      std::string_view insz, std::string_view application, std::string_view hco,
      Ask ask) const {
    SnapshotLooked();
    if (!snapshot_.model_ready()) {
      {
        const ReaderCount::Inside inside = snapshot_.Enter();
        if (!snapshot_.model_ready_now()) {
          if (snapshot_.readable()) return ask(snapshot_.index());
          if (!settings_.parts) {
            // Bad input is still told as such (it would be refused
            // anyway); any other check fails closed: the snapshot would go
            // stale unnoticed.
            Result<Question> q = ParseQuestion(insz, application, hco);
            if (!q.ok()) return q.status();
            return snapshot_.Distrust();
          }
        }
      }
      // A one-shot engine without a current snapshot: the person's part of
      // the federation (left the snapshot's readers first: a full load's
      // hand-over, under the writer lock, waits for them).
      if (settings_.parts) {
        return OnModel(QuestionScope(insz, hco), [&](const ModelPtr& model) {
          return ask(ModelCheckReader(*model));
        });
      }
    }
    return model_.Read(
        [&](const ModelPtr& model) { return ask(ModelCheckReader(*model)); });
  }

  // Loads the model unless it is in memory already; then checks stop
  // reading the snapshot. The lazily built state this changes (model_,
  // snapshot_, follower_) is mutable: in a one-shot engine a const query
  // may be the call that needs the model first; loading it changes no
  // answer. REQUIRES: write_mu_ held.
  Status LoadedLocked() const {
    if (snapshot_.model_ready()) return Status::Ok();
    SnapshotLookedLocked();
    Status s = model_.Load(*store_, [this](uint64_t revision) {
      return snapshot_.WriterForFirstLoad(revision);
    });
    if (!s.ok()) return s;
    if (snapshot_.answering()) {
      // Checks went on from the snapshot during the load, and may have
      // been refused since another process committed (the watcher): they
      // move to the model only once it holds what the database holds now,
      // not what it held when the load began.
      Result<uint64_t> stored = store_->CurrentRevision();
      if (!stored.ok()) return stored.status();
      if (*stored != model_.writer().revision) {
        s = follower_.CatchUpFrom(*stored);
        if (!s.ok()) return s;
      }
    }
    snapshot_.HandOver();
    return Status::Ok();
  }

  // Whether opening, or in a one-shot engine the first check (or a call
  // that loads the model, or startup()), has looked for an index snapshot
  // (SnapshotKeeper::Start). Checks read the keeper's state only after
  // they saw this set.
  void SnapshotLooked() const {
    if (snapshot_looked_.load(std::memory_order_acquire)) return;
    std::lock_guard<std::mutex> writer(write_mu_);
    SnapshotLookedLocked();
  }
  // REQUIRES: write_mu_ held.
  void SnapshotLookedLocked() const {
    if (snapshot_looked_.load(std::memory_order_acquire)) return;
    // A model loaded in full, or a database moved on by this engine's own
    // commit, leaves nothing for a snapshot to answer.
    if (settings_.snapshots && !snapshot_.model_ready() && !committed_) {
      (void)snapshot_.Start(&model_);
    }
    snapshot_looked_.store(true, std::memory_order_release);
  }

  // The part of the federation `scope` reaches, read now (part_model.h).
  // REQUIRES: write_mu_ held; a one-shot engine without a full model.
  Result<ModelPtr> PartLocked(const LoadScope& scope) const {
    Result<ModelPtr> part = LoadPartModel(*store_, &catalogue_, scope);
    if (part.ok()) model_.set_published_revision((*part)->revision);
    return part;
  }

  // Apply in a one-shot engine without a full model: the mutation's part
  // of the federation is read under the database's write lock, so that it
  // is the state the commit goes on (no catch-up needed), planned and
  // committed. The index snapshot is behind the database from then on:
  // this engine's checks read parts too.
  Result<CommitInfo> ApplyToPartLocked(const Mutation& m) {
    Result<std::unique_ptr<WriteLock>> lock = store_->BeginWrite();
    if (!lock.ok()) return lock.status();
    Result<ModelPtr> part = PartLocked(MutationScope(m));
    if (!part.ok()) return part.status();
    ChangeSet committed;
    Result<CommitInfo> info =
        CommitMutation(*store_, **lock, catalogue_, **part, m, &committed);
    if (info.ok()) {
      committed_ = true;
      snapshot_.Outdated();
      model_.set_published_revision(committed.revision);
    }
    return info;
  }

  // For queries that need the graph: loads it if opening left that for
  // later (the only time a query waits for the writer lock).
  Status ModelForQuery() const {
    if (snapshot_.model_ready()) return Status::Ok();
    std::lock_guard<std::mutex> writer(write_mu_);
    return LoadedLocked();
  }

  // The model loaded, both instances, and caught up with the database.
  // REQUIRES: write_mu_ held.
  Status CatchUpLocked() {
    Status ready = LoadedLocked();
    if (!ready.ok()) return ready;
    model_.TwinReady();  // a catch-up may write; and Refresh() promises both
    if (model_.dirty()) {
      // An exception left the two instances apart: both again from the
      // store before anything reads or changes them.
      ready = CatchAll("loading the federation again",
                       [&] { return model_.Load(*store_, nullptr); });
      if (!ready.ok()) return ready;
    }
    return follower_.CatchUp();
  }

  // Importer::Locked. The impact is computed on the model as it is (the
  // writer's instance, caught up first), which is loaded again after a
  // commit.
  Status ImportLocked(const Importer::Body& body) {
    std::lock_guard<std::mutex> writer(write_mu_);
    if (settings_.lazy && !snapshot_.model_ready()) {
      return ImportToPartLocked(body);
    }
    Status fresh = CatchUpLocked();
    if (!fresh.ok()) return fresh;
    Result<bool> changed = body(
        *store_,
        [&](const RegistryDelta& delta) -> Result<std::vector<AccessImpact>> {
          return ComputeImpact(model_.writer().graph, delta);
        });
    if (!changed.ok()) return changed.status();
    return *changed ? model_.Load(*store_, nullptr) : Status::Ok();
  }

  // An import in a one-shot engine without a model: the impact reads only
  // the part of the federation the import changed, inside the import's
  // transaction (import_impact.h: a part of DeltaScope to find who holds a
  // right there, then one of ImpactScope that holds all their rights), and
  // nothing is loaded after the commit. The index snapshot is behind the
  // database from then on, as after ApplyToPartLocked.
  // REQUIRES: write_mu_ held; lazy, no model.
  Status ImportToPartLocked(const Importer::Body& body) {
    Result<bool> changed = body(
        *store_,
        [&](const RegistryDelta& delta) -> Result<std::vector<AccessImpact>> {
          Result<ModelPtr> changed_part = LoadPartModel(
              *store_, &catalogue_, DeltaScope(catalogue_, delta));
          if (!changed_part.ok()) return changed_part.status();
          Result<ModelPtr> part = LoadPartModel(
              *store_, &catalogue_, ImpactScope((*changed_part)->graph, delta));
          if (!part.ok()) return part.status();
          return ComputeImpact((*part)->graph, delta);
        });
    if (!changed.ok()) return changed.status();
    if (!*changed) return Status::Ok();
    committed_ = true;
    snapshot_.Outdated();
    Result<uint64_t> stored = store_->CurrentRevision();
    if (!stored.ok()) return stored.status();
    model_.set_published_revision(*stored);
    return Status::Ok();
  }

  // The background thread: loads the model when opening started from a
  // snapshot (retrying a failed load every second), then until the engine
  // closes, in a follower, catches up every interval (FollowOnce), and
  // rewrites a stale index snapshot once the model is idle
  // (SnapshotIfIdle).
  void Background() {
    if (!stop_.stopping() && !snapshot_.model_ready() &&
        settings_.load_gate_for_tests) {
      settings_.load_gate_for_tests();
    }
    while (!stop_.stopping() && !snapshot_.model_ready()) {
      Status s;
      {
        std::lock_guard<std::mutex> writer(write_mu_);
        s = CatchAll("loading the federation", [&] { return LoadedLocked(); });
      }
      snapshot_.set_load_failed(!s.ok());
      health_.LoadAttempt(s);
      if (!s.ok()) stop_.WaitFor(std::chrono::seconds(1));
    }
    const bool follows = settings_.follows();
    const bool keeps = settings_.keeps_snapshot();
    if (!follows && !keeps) return;
    const std::chrono::milliseconds every =
        follows ? settings_.follow_interval
                : std::max(std::chrono::milliseconds(1),
                           settings_.snapshot_after_idle / 4);
    // A follower wakes at once when the store hears a commit (NOTIFY).
    while (!(follows ? follower_.WaitForCommit(every, stop_)
                     : stop_.WaitFor(every))) {
      if (follows) FollowOnce();
      if (keeps) {
        (void)CatchAll("writing the index snapshot", [&] {
          SnapshotIfIdle();  // a cache: a failure waits for the next look
          return Status::Ok();
        });
      }
    }
  }

  // One look at the database for the follower. It only tries the writer
  // lock: whoever holds it either catches up itself before changing
  // anything (Apply, the imports, CatchUp, Refresh) or only reads, and
  // the next look comes one interval later. Waiting for the lock instead
  // queued this thread behind every commit of a busy writer: each unlock
  // woke it, and it slept again when the writer took the lock first for
  // its next commit (in `Mutation/durable/M`, about a tenth of the
  // process's CPU went to those wake-ups).
  void FollowOnce() {
    std::unique_lock<std::mutex> writer(write_mu_, std::try_to_lock);
    if (!writer.owns_lock()) {
      health_.Skipped();
      return;
    }
    // A failure of the catch-up proper is in the HealthRecord; one before
    // it (the twin's copy) is tried again at the next look.
    (void)CatchAll("following the database", [&] { return CatchUpLocked(); });
  }

  // Writes the index snapshot of the model when the one on disk is of an
  // older revision and no change has come for snapshot_after_idle. Like
  // the follower, it only tries the writer lock: a writer holding it is
  // not idle.
  void SnapshotIfIdle() {
    if (!snapshot_.IdleWriteDue(model_)) return;
    std::unique_lock<std::mutex> writer(write_mu_, std::try_to_lock);
    if (!writer.owns_lock() || model_.twin_pending()) return;  // it writes
    snapshot_.WriteIdle(model_);
  }

  const Settings settings_;
  const std::unique_ptr<Store> store_;  // used under write_mu_
  Catalogue catalogue_;                 // immutable after Init

  // The writer lock (see the top of this file).
  mutable std::mutex write_mu_;
  HealthRecord health_;
  StopSignal stop_;
  // The lazily built state (LoadedLocked): mutable, as a const query may
  // build it. Their writers' methods run under write_mu_.
  mutable ModelHolder model_;
  mutable SnapshotKeeper snapshot_;
  mutable Follower follower_;
  // SnapshotLooked(); committed_: a one-shot engine committed on a part
  // (under write_mu_).
  mutable std::atomic<bool> snapshot_looked_{false};
  bool committed_ = false;
  Importer importer_;
  std::thread background_;  // Background()
};

}  // namespace

Result<std::unique_ptr<Engine>> Engine::Open(const std::string& path,
                                             const OpenOptions& options) {
  return CatchAll("open", [&]() -> Result<std::unique_ptr<Engine>> {
    Result<Settings> settings = Settings::Resolve(path, options);
    if (!settings.ok()) return settings.status();
    Result<std::unique_ptr<Store>> store = OpenStore(
        path, StoreOpenOptions{.create_if_missing = options.create_if_missing,
                               .read_only = options.read_only});
    if (!store.ok()) return store.status();
    // Every public call goes through the exception boundary.
    auto engine = std::make_unique<GuardedEngine<EngineImpl>>(
        std::move(store).value(), std::move(settings).value());
    Status s = engine->Init();
    if (!s.ok()) return s;
    return std::unique_ptr<Engine>(std::move(engine));
  });
}

}  // namespace toegang
