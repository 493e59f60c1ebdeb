import Injector
