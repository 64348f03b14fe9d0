"""Districts: remembering where the user lives and answering the last topic again for it."""
from __future__ import annotations

from rasa_sdk import Action
from rasa_sdk.events import SlotSet

from actions.common import language_of, latest_entities, off_loop, repository, send
from actions.topics import answer_topic, target_group
from bot import answers
from bot.texts import t


class ActionSetDistrict(Action):
    def name(self):
        return "action_set_district"

    async def run(self, dispatcher, tracker, domain):
        language = language_of(tracker)
        repo = repository()
        places = latest_entities(tracker, "district")
        match = await off_loop(repo.district_from_place, places[0]) if places else None
        if match is None:
            # No place named, or one that is not in Berlin's directory: show the 12 districts.
            districts = await off_loop(repo.districts)
            if places:
                send(dispatcher, answers.ask_district(districts, language, "district_unknown", place=places[0]))
            else:
                send(dispatcher, answers.ask_district(districts, language))
            return []
        district = match.district
        if match.is_ortsteil and match.place != district.name:
            dispatcher.utter_message(text=t("district_set_ortsteil", language, place=match.place,
                                            district=district.name))
        else:
            dispatcher.utter_message(text=t("district_set", language, district=district.name))
        events = [SlotSet("district", district.id)]
        topic = tracker.get_slot("topic")
        if topic and topic != "emergency":
            reply = await off_loop(answer_topic, topic, district.id, target_group(tracker), language)
            if reply is not None:
                send(dispatcher, reply)
                return events
        send(dispatcher, answers.menu(language, "district_which_topic"))
        return events
