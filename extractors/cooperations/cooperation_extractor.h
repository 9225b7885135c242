// Cooperations: who cooperates with whom, on what, since when.
//
//   auto coops = CooperationExtractor::Create(lexicons);   // lexicons/cooperation_triggers.tsv
//   coops.value()->Extract(doc);    // needs establishment, specialty and date mentions
//   doc.cooperations;               // parties, kind, specialties, date, evidence sentences
//
// A cooperation is read from one sentence at a time:
//  - two or more establishments in a sentence that states a cooperation
//    (a trigger such as "convention", "coopération", "ont signé une charte")
//    are parties of one cooperation;
//  - an establishment introduced by "avec" (and those coordinated with it) is a
//    partner of the sentence's other establishments, or, when the sentence
//    names no other, of the establishment the text was last speaking about
//    (the hub of a list of partners: "Le CHU de X développe ... : – avec le CH
//    de Y ..."). A partner needs a trigger in its sentence, earlier in its
//    paragraph, or in the paragraph before;
//  - an anaphor ("les deux établissements", "ces hôpitaux") in a sentence
//    stating a cooperation stands for the establishments named just before;
//  - "entre A et B" in a passage stating a cooperation makes A and B its
//    parties even when the sentence itself names none ("un dispositif");
//  - an establishment alone in a sentence that states a specific cooperation
//    ("le CH d'Épinal bénéficie d'un temps médical partagé") is a partner of the
//    document's focus, the establishment named most (three times at least),
//    unless the sentence names another party ("avec l'ARS");
//  - an item "CHU de Nîmes : télé-expertise ..." of a list of partners (the
//    item or the heading above it states a cooperation) partners the focus;
//  - the establishments of a convention's block of parties ("Entre les
//    soussignés : ... Il a été convenu ce qui suit") are its parties;
//  - "Il concerne aussi le CH de Sedan", right after a sentence stating a
//    cooperation, makes the establishment one more party of it;
//  - an establishment joining a group ("le CH de Dole rejoint le GCS",
//    "l'adhésion du CH de Dole à la fédération") becomes a party of the one
//    cooperation of that kind the text reads between others.
// Establishments merely named together, without a trigger, are not a
// cooperation, nor are those of a sentence saying they take no part in one
// (lexicons/cooperation_negations.tsv: "ne sont pas concernés"). Kind, specialties and date come from the sentence: the most
// specific trigger, the specialties of the partner's clause, the date nearest
// the partner. One record is kept per set of parties and kind.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <re2/re2.h>
#include <re2/set.h>

#include "extractors/extractor.h"
#include "pipeline/demonyms.h"
#include "pipeline/lexicon.h"
#include "pipeline/status.h"

namespace coopkb {

class CooperationExtractor : public Extractor {
 public:
  static Result<std::unique_ptr<Extractor>> Create(const Lexicons& lexicons);
  std::string_view name() const override { return "cooperations"; }
  void Extract(Document& doc) const override;

  struct Trigger {
    std::string kind;
    int rank;
  };
  struct EntityMention {
    int entity;
    Span span;
    bool partner = false;
  };

 private:
  CooperationExtractor() = default;
  // The best-ranked trigger in folded text, or nullptr.
  const Trigger* FindTrigger(std::string_view folded) const;
  bool ContinuesList(const Document& doc, const std::vector<EntityMention>& mentions, size_t k) const;
  // The establishments an anaphor of `sentence` stands for ("les deux
  // établissements", "ces hôpitaux"): those of the nearest sentence before it
  // (in its paragraph or the two before) naming at least as many as it counts,
  // two for "ces", leaving out the ones `sentence` names (`here`). None when
  // there is no anaphor, when `sentence` is a heading, when the anaphor heads
  // names of its own ("les trois hôpitaux du Forez, du Gier ..."), or when
  // that sentence names more than counted.
  // `noun_ends`: where the nouns an anaphor needs end in the text, in order.
  std::vector<int> Antecedents(const Document& doc, const std::vector<EntityMention>& mentions,
                               size_t first_in_sentence, Span sentence, const std::vector<EntityMention>& here,
                               const std::vector<size_t>& noun_ends) const;
  // Whether `a` and `b` stand as "entre a et b" in the sentence.
  bool Between(const Document& doc, Span sentence, Span a, Span b) const;
  // The sentence's mentions split at semicolons, when every clause names two
  // establishments or more, the first not as a partner; else empty.
  static std::vector<std::vector<EntityMention>> SemicolonClauses(const Document& doc,
                                                                  const std::vector<EntityMention>& here);

  std::vector<Trigger> triggers_;
  // TriggerKey(phrase) -> index in triggers_; hashed, as every trigger found is looked up.
  std::unordered_map<std::string, size_t> by_key_;
  Demonyms demonyms_;  // "chalonnais" is two communes once folded
  std::unique_ptr<re2::RE2> trigger_re_;  // every phrase, longest first
  // Phrases with "..." (a gap of up to four words), and their trigger indices.
  std::unique_ptr<re2::RE2::Set> gapped_re_;
  std::vector<size_t> gapped_trigger_;
  std::vector<std::string> gapped_cues_;  // the longest word of each tail
  int gapped_best_rank_ = 1 << 30;        // the lowest rank among them
  std::unique_ptr<re2::RE2> negation_re_;  // cooperation_negations.tsv, between word bounds
  std::unique_ptr<re2::RE2> partner_cue_;  // "avec le" right before a mention
  std::unique_ptr<re2::RE2> party_block_open_;   // "Entre les soussignés :"
  std::unique_ptr<re2::RE2> party_block_close_;  // "Il a été convenu", "Vu", "Article"
  std::unique_ptr<re2::RE2> other_party_;   // "avec", "entre": a sentence naming its own parties
  std::unique_ptr<re2::RE2> coordination_;  // ", et de" between two mentions
  std::unique_ptr<re2::RE2> conjunction_;   // et, ou, ainsi que
  std::unique_ptr<re2::RE2> article_;       // le, la, les, l'
  std::unique_ptr<re2::RE2> anaphor_;       // "les deux etablissements", "ces hopitaux"
  std::unique_ptr<re2::RE2> first_person_;  // nous, notre, nos
  std::unique_ptr<re2::RE2> there_;         // "y assurent", "y tiennent": at the place just named
  std::unique_ptr<re2::RE2> subject_pronoun_;  // "Il assure ...": the establishment just spoken of
  std::unique_ptr<re2::RE2> speaker_role_;  // "directeur du", "présidente de la CME du": who says "nous"
  std::unique_ptr<re2::RE2> item_colon_;    // " (Arles) :" after a list item's name
  std::unique_ptr<re2::RE2> partner_predicate_;  // "reste le principal partenaire"
  std::unique_ptr<re2::RE2> name_item_rest_;  // what a list item holds besides its names: "- le", " ;"
  std::unique_ptr<re2::RE2> between_cue_;   // "entre le" right before a mention
  std::unique_ptr<re2::RE2> between_and_;   // " et le" between the two
  std::unique_ptr<re2::RE2> joins_;         // "rejoint", "adhésion": joins a group
  std::unique_ptr<re2::RE2> extends_;       // "concerne aussi", "en bénéficie également"
};

}  // namespace coopkb
