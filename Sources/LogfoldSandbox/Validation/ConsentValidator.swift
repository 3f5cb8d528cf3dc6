/// Pure checks of the consent jobs: suppress, unsuppress, subscribe and unsubscribe in bulk.
package enum ConsentValidator {
    /// A checked consent job: who it names and the list it may name.
    package struct Job: Sendable, Hashable {
        /// One profile named by the job.
        package struct Profile: Sendable, Hashable {
            /// The email, when given.
            package var email: String?
            /// The phone number, when given.
            package var phoneNumber: String?
            /// Where the profile resource sits in the body.
            package var pointer: JSONPointer
        }

        /// The profiles, in body order.
        package var profiles: [Profile]
        /// `relationships.list.data.id`, when given.
        package var listID: String?
        /// Subscribe's `historical_import` flag.
        package var historicalImport: Bool
    }

    /// Checks a job body of resource type `type`, naming at most `limit` profiles.
    ///
    /// Suppression jobs identify profiles by email only (`requireEmail`); subscription jobs by email or
    /// phone number.
    package static func job(_ body: SandboxJSON, type: String, limit: Int, requireEmail: Bool)
        throws(SandboxRejection) -> Job
    {
        var problems = Problems()
        let data = JSONPointer(path: "/data")
        guard let resource = problems.object(body["data"], data) else { throw SandboxRejection(problems.errors) }
        problems.type(resource, type, data)
        try problems.check()
        let attributes = data.appending("attributes")
        var listID: String?
        if let list = resource["relationships"]?["list"] {
            let at = data.appending(path: "relationships", "list", "data")
            if case .string(let id)? = list["data"]?["id"], !id.isEmpty {
                listID = id
            } else {
                problems.add(at.appending("id"), "'id' is required and must be a list id.")
            }
        }
        let object = problems.object(resource["attributes"] ?? .object([]), attributes) ?? .object([])
        var historical = false
        if case .bool(let flag)? = object["historical_import"] { historical = flag }
        var profiles: [Job.Profile] = []
        let profilesPointer = attributes.appending(path: "profiles", "data")
        if let wrapper = object["profiles"], !wrapper.isNull {
            let elements = problems.array(wrapper["data"], profilesPointer) ?? []
            if elements.count > limit {
                throw SandboxRejection(
                    .invalid(profilesPointer, "\(elements.count) profiles in one request; at most \(limit)."))
            }
            for (i, element) in elements.enumerated() {
                if let profile = self.profile(element, profilesPointer.appending(i), requireEmail, &problems) {
                    profiles.append(profile)
                }
            }
        }
        if profiles.isEmpty, listID == nil, problems.isEmpty {
            problems.add(profilesPointer, "Name at least one profile, or a list.")
        }
        try problems.check()
        return Job(profiles: profiles, listID: listID, historicalImport: historical)
    }

    private static func profile(
        _ element: SandboxJSON, _ pointer: JSONPointer, _ requireEmail: Bool, _ problems: inout Problems
    ) -> Job.Profile? {
        guard let resource = problems.object(element, pointer) else { return nil }
        problems.type(resource, "profile", pointer)
        let attributes = pointer.appending("attributes")
        guard let object = problems.object(resource["attributes"], attributes) else { return nil }
        let email = problems.optionalString(object["email"], attributes.appending("email")).value
        let phone = problems.optionalString(object["phone_number"], attributes.appending("phone_number")).value
        if let email, !FieldRules.looksLikeEmail(email) {
            problems.add(attributes.appending("email"), "Invalid email address '\(email)'.")
        }
        if let phone, !FieldRules.isE164(phone) {
            problems.add(attributes.appending("phone_number"), "Invalid phone number '\(phone)': it must be E.164.")
        }
        if requireEmail, email == nil {
            problems.add(attributes.appending("email"), "'email' is required.")
        } else if email == nil, phone == nil {
            problems.add(attributes, "A profile needs an email or a phone_number.")
        }
        return Job.Profile(email: email, phoneNumber: phone, pointer: pointer)
    }
}
