public import SluiceCore
