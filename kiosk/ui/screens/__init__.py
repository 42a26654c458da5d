"""The screens a patient sees, one module each; each shows a state and sends taps on."""

from kiosk.ui.screens.attract import AttractScreen
from kiosk.ui.screens.base import BaseScreen, Controller, Look, State
from kiosk.ui.screens.call import CallScreen
from kiosk.ui.screens.home import HomeScreen
from kiosk.ui.screens.resting import RestingScreen
from kiosk.ui.screens.result import ResultScreen
from kiosk.ui.screens.selfcheck import SelfCheckScreen
from kiosk.ui.screens.topic import TopicScreen

__all__ = ["AttractScreen", "BaseScreen", "CallScreen", "Controller", "HomeScreen", "Look",
           "RestingScreen", "ResultScreen", "SelfCheckScreen", "State", "TopicScreen"]
