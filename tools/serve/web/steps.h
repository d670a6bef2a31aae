// The manual's steps on the admin pages (issue 27, item 4): the forms that
// change the federation, for an actor that the authenticating proxy in
// front of the admin listener asserts in a trusted header
// (WebOptions::actor_header), and what a submitted step answers.
//
// A step is offered only after may's answer: StepForms asks
// Engine::Preview for the actor before it draws a form, and a step the
// actor may not take shows the refusal (whose message names who can take
// it) instead of the form. For a step whose target is typed into the form
// (the person to appoint or add, the facility of a new subafdeling), the
// question is asked with a placeholder target, and only the refusals that
// do not depend on it (StepRefusedHere) hide the form.
//
// A submitted step (POST /step, web_pages.h) is a Mutation built from the
// form (ParseStep); it is answered as the CLI answers the mutation
// (tools/cli/mutate_commands.cc): a step that takes away more than it names
// (Preview's cascade) first shows the cascade and a confirmation form;
// otherwise, or once confirmed, Engine::Apply commits it or refuses it (a
// refusal is recorded in the audit log with the actor, as the CLI's).
//
// The person a step concerns is named by a token of web/person_tokens.h
// (a member on a page) or typed into the form (the body of a POST): never
// in a URL.
//
// Thread safety: StepForms is immutable after construction and only reads
// the engine; the free functions are pure over their arguments, except that
// person links ask the token store (which is thread-safe).
#ifndef TOEGANG_SERVE_WEB_STEPS_H_
#define TOEGANG_SERVE_WEB_STEPS_H_

#include <string>
#include <utility>
#include <vector>

#include "toegang/cards.h"
#include "toegang/engine.h"
#include "toegang/mutation.h"
#include "toegang/queries.h"
#include "toegang/status.h"
#include "web/person_tokens.h"

namespace toegang::serve::web {

using FormFields = std::vector<std::pair<std::string, std::string>>;

// Whether a refusal of a step asked with a placeholder target holds for
// every target, so that the step is not offered: the actor may not take
// it (not_authorized), or the enterprise, capacity or facility does not
// allow it now.
bool StepRefusedHere(const Status& status);

// The forms of the steps on the pages, for one asserted actor.
class StepForms {
 public:
  // actor: 11 digits. Every pointer must outlive the object.
  StepForms(const Engine* engine, std::string actor, Lang lang,
            PersonTokens* tokens, std::string csrf);

  const std::string& actor() const { return actor_; }

  // The enterprise's steps: appoint the HTB, activate a capacity, the TB
  // and co-TBs of a domain, create a subafdeling.
  std::string Enterprise(const WhoReport& who) const;
  // Whether the actor may manage the users of s (may's answer to
  // user.add with the actor as the placeholder person): ok, or the
  // refusal; a refusal that StepRefusedHere accepts hides the user steps.
  Status UsersStep(const FacilityCard& card,
                   const FacilityCard::Subafdeling& s) const;
  // One subafdeling's steps at the facility: add a user, authorize an
  // application, withdraw one (which revokes its rights there), add or
  // remove a named manager (beheerder), remove the subafdeling (which
  // takes its users, rights, managers and authorizations with it). users:
  // UsersStep's answer. Authorize and add-beheerder, whose target is
  // typed, are asked as add-beheerder with the actor as placeholder (the
  // checks of the enterprise, the facility and the actor come before the
  // typed target's); the others as they would be taken.
  std::string Subafdeling(const FacilityCard& card,
                          const FacilityCard::Subafdeling& s,
                          const Status& users) const;
  // The steps of one member's row: grant a right, revoke one held,
  // remove the user. Empty when users (UsersStep's answer) hides them.
  std::string Member(const FacilityCard& card,
                     const FacilityCard::Subafdeling& s,
                     const FacilityCard::Member& m, const Status& users) const;

 private:
  // A form that posts one step: the hidden fields, then `inputs`, then a
  // button.
  std::string Form(const FormFields& hidden, const std::string& inputs,
                   const std::string& button, const std::string& id) const;
  // The refusal of a step, as the page shows it (whose message names who
  // can take the step instead).
  std::string Refusal(const Status& status) const;
  // The question for may about subafdeling s: the action, the actor and
  // the subafdeling's fields; the caller adds the target.
  Mutation Asked(const FacilityCard& card, const FacilityCard::Subafdeling& s,
                 Action action) const;
  // The hidden fields that name subafdeling s and the step's action.
  FormFields Target(const FacilityCard& card,
                    const FacilityCard::Subafdeling& s,
                    std::string_view action) const;

  const Engine* const engine_;
  const std::string actor_;
  const Lang lang_;
  PersonTokens* const tokens_;
  const std::string csrf_;
};

// A step as a form posts it.
struct StepRequest {
  Mutation mutation;
  bool confirmed = false;  // the cascade was shown and confirmed
  // The form's fields, for the confirmation form to post them again.
  FormFields fields;
};

// The Mutation of a posted step, with actor as its actor. Fields:
// action (an action name the pages offer), kbo, hco, capacity,
// subdivision, insz (typed) or person (a token), email, phone, app
// (repeated; or several codes in one, separated by spaces or commas),
// confirm ("1"). Errors (kInvalidInput): usage for an action the pages do
// not offer, a field given twice, or a person token that is no longer
// live; duplicate_input for a person both typed and named by token.
Result<StepRequest> ParseStep(const FormFields& form, const std::string& actor,
                              PersonTokens* tokens);

// Where the page of a step leads back to: /facility/HCO for a step on a
// subafdeling, /enterprise/KBO for the enterprise's own steps ("/" when
// the form named neither validly).
std::string StepBackPath(const Mutation& mutation);

// The bodies of the answers to a step.
std::string StepConfirmBody(const StepRequest& step,
                            const MutationPreview& preview, Lang lang,
                            const std::string& csrf);
std::string StepDoneBody(const Mutation& mutation, const CommitInfo& done,
                         Lang lang);
std::string StepRefusedBody(const Mutation& mutation, const Status& status,
                            Lang lang);

}  // namespace toegang::serve::web

#endif  // TOEGANG_SERVE_WEB_STEPS_H_
