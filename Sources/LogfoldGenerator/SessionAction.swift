/// Why a visit happens: browsing (the regular visits), or coming to cancel, or coming back.
enum SessionIntent: Int {
    case browse = 0
    case cancel = 1
    case reactivate = 2
}

/// What a person can do during a visit.
enum SessionAction: CaseIterable {
    case justLook, addAddon, deleteItem, substitute, undoSubstitution, changeOrderBox, considerSkip, skipOrder
    case useDiscountCode, useGiftCertificate, changeSchedule, skipDelivery, addDelivery, resetSchedule
    case changeSubscriptionBox, addRecurring, updateRecurring, removeRecurring, updatePaymentInfo
    case updateAddress, updateShippingNotes, addBirthday, updateProfile, shareWithFriends, buyGiftBox
    case contactForm, unsubscribe, resubscribe, cancelAccount, reactivate, restartSignup, optInSMS
}
