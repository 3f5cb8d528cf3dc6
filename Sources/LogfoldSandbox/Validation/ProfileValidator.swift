/// Pure checks of profile resources (`{"type":"profile","id"?,"attributes":{…}}`) as Create Event,
/// Bulk Create Events, Create or Update Profile and Bulk Import Profiles carry them.
package enum ProfileValidator {
    /// The attributes a profile resource may carry (Klaviyo's schema); any other is a 400.
    static let allowedAttributes: Set<String> = [
        "email", "phone_number", "external_id", "anonymous_id", "_kx", "first_name", "last_name", "organization",
        "locale", "title", "image", "location", "properties",
    ]

    /// The members a `location` object may carry.
    static let locationMembers: Set<String> = [
        "address1", "address2", "city", "country", "latitude", "longitude", "region", "zip", "timezone", "ip",
    ]

    /// Most profiles one bulk import may carry.
    package static let maximumBulkImportProfiles = 10_000

    /// Checks the profile resource `resource` found at `pointer`, recording problems; returns the patch
    /// (also when problems were found, so the caller can keep walking).
    static func resource(_ resource: SandboxJSON?, at pointer: JSONPointer, problems: inout Problems) -> ProfilePatch {
        var patch = ProfilePatch()
        patch.pointer = pointer
        guard let resource = problems.object(resource, pointer) else { return patch }
        problems.type(resource, "profile", pointer)
        switch resource["id"] {
        case nil, .null?: break
        case .string(let id)? where !id.isEmpty: patch.id = id
        case let other?:
            problems.add(pointer.appending("id"), "'id' must be a non-empty string, got \(other.typeName).")
        }
        let attributesPointer = pointer.appending("attributes")
        let attributes: SandboxJSON
        if resource["attributes"] == nil, patch.id != nil {
            attributes = .object([])
        } else if let object = problems.object(resource["attributes"], attributesPointer) {
            attributes = object
        } else {
            return patch
        }
        problems.unknownMembers(attributes, allowed: allowedAttributes, attributesPointer)

        let emailPointer = attributesPointer.appending("email")
        patch.email = problems.optionalString(attributes["email"], emailPointer)
        if let email = patch.email.value, !FieldRules.looksLikeEmail(email) {
            problems.add(emailPointer, "Invalid email address '\(email)'.")
        }
        let phonePointer = attributesPointer.appending("phone_number")
        patch.phoneNumber = problems.optionalString(attributes["phone_number"], phonePointer)
        if let phone = patch.phoneNumber.value, !FieldRules.isE164(phone) {
            problems.add(phonePointer, "Invalid phone number '\(phone)': it must be E.164, such as +15005550006.")
        }
        let externalPointer = attributesPointer.appending("external_id")
        patch.externalID = problems.optionalString(attributes["external_id"], externalPointer)
        if patch.externalID.value?.isEmpty == true {
            problems.add(externalPointer, "'external_id' must not be empty.")
        }
        for name in ProfilePatch.stringAttributes {
            let update = problems.optionalString(attributes[name], attributesPointer.appending(name))
            if update != .keep { patch.strings[name] = update }
        }
        patch.location = location(attributes["location"], attributesPointer.appending("location"), &problems)
        patch.properties = objectUpdate(attributes["properties"], attributesPointer.appending("properties"), &problems)
        let unset = unsetProperties(resource["meta"], pointer.appending("meta"), &problems)
        if !unset.isEmpty {
            // Applied after the properties the resource sets, as removals of those keys.
            let removals = unset.map { SandboxJSON.Member($0, .null) }
            switch patch.properties {
            case .keep: patch.properties = .merge(removals)
            case .merge(let members): patch.properties = .merge(members + removals)
            case .clear: break
            }
        }
        if !patch.hasIdentifier {
            problems.add(
                attributesPointer,
                "A profile needs at least one identifier: email, phone_number, external_id, or id.")
        }
        return patch
    }

    /// The keys `meta.patch_properties.unset` removes: a string or an array of strings.
    static func unsetProperties(_ meta: SandboxJSON?, _ pointer: JSONPointer, _ problems: inout Problems) -> [String] {
        guard let meta, meta != .null else { return [] }
        guard meta.objectMembers != nil else {
            problems.add(pointer, "'meta' must be an object, got \(meta.typeName).")
            return []
        }
        let patchPointer = pointer.appending("patch_properties")
        guard let patch = meta["patch_properties"], patch != .null else { return [] }
        guard patch.objectMembers != nil else {
            problems.add(patchPointer, "'patch_properties' must be an object, got \(patch.typeName).")
            return []
        }
        let unsetPointer = patchPointer.appending("unset")
        switch patch["unset"] {
        case nil, .null?: return []
        case .string(let key)?: return [key]
        case .array(let elements)?:
            var keys: [String] = []
            for element in elements {
                guard case .string(let key) = element else {
                    problems.add(unsetPointer, "'unset' must hold strings, got \(element.typeName).")
                    return []
                }
                keys.append(key)
            }
            return keys
        case let other?:
            problems.add(unsetPointer, "'unset' must be a string or an array of strings, got \(other.typeName).")
            return []
        }
    }

    /// A `location`: an object of string (or, for coordinates, number) members, or null.
    static func location(_ value: SandboxJSON?, _ pointer: JSONPointer, _ problems: inout Problems) -> ObjectUpdate {
        let update = objectUpdate(value, pointer, &problems)
        guard case .merge(let members) = update else { return update }
        for member in members {
            let at = pointer.appending(member.key)
            guard locationMembers.contains(member.key) else {
                problems.add(at, "'\(member.key)' is not a location field.")
                continue
            }
            switch member.value {
            case .null, .string: break
            case .number where member.key == "latitude" || member.key == "longitude": break
            default: problems.add(at, "'\(member.key)' must be a string or null, got \(member.value.typeName).")
            }
        }
        return update
    }

    /// An object-valued field merged key by key, or null to clear it.
    static func objectUpdate(_ value: SandboxJSON?, _ pointer: JSONPointer, _ problems: inout Problems)
        -> ObjectUpdate
    {
        switch value {
        case nil: return .keep
        case .null?: return .clear
        case .object(let members)?: return .merge(members)
        case let other?:
            let name = pointer.path.split(separator: "/").last.map(String.init) ?? ""
            problems.add(pointer, "'\(name)' must be an object or null, got \(other.typeName).")
            return .keep
        }
    }

    /// Checks a Create or Update Profile body (`POST /api/profile-import`).
    package static func profileImport(_ body: SandboxJSON) throws(SandboxRejection) -> ProfilePatch {
        var problems = Problems()
        let data = JSONPointer(path: "/data")
        guard let resource = problems.object(body["data"], data) else { throw SandboxRejection(problems.errors) }
        let patch = self.resource(resource, at: data, problems: &problems)
        try problems.check()
        return patch
    }

    /// A checked Bulk Import Profiles body.
    package struct BulkImport: Sendable, Hashable {
        /// The profiles, in body order.
        package var profiles: [ProfilePatch]
        /// The lists every profile joins.
        package var listIDs: [String]
    }

    /// Checks a Bulk Import Profiles body (`POST /api/profile-bulk-import-jobs`): all-or-nothing.
    package static func bulkImport(_ body: SandboxJSON) throws(SandboxRejection) -> BulkImport {
        var problems = Problems()
        let data = JSONPointer(path: "/data")
        guard let job = problems.object(body["data"], data) else { throw SandboxRejection(problems.errors) }
        problems.type(job, "profile-bulk-import-job", data)
        try problems.check()
        let attributes = data.appending("attributes")
        let profilesPointer = attributes.appending(path: "profiles", "data")
        guard let object = problems.object(job["attributes"], attributes),
            let profiles = problems.object(object["profiles"], attributes.appending("profiles")),
            let elements = problems.array(profiles["data"], profilesPointer)
        else { throw SandboxRejection(problems.errors) }
        guard !elements.isEmpty else {
            throw SandboxRejection(.invalid(profilesPointer, "At least one profile is required."))
        }
        guard elements.count <= maximumBulkImportProfiles else {
            throw SandboxRejection(
                .invalid(
                    profilesPointer,
                    "\(elements.count) profiles in one request; the limit is \(maximumBulkImportProfiles)."))
        }
        var patches: [ProfilePatch] = []
        patches.reserveCapacity(elements.count)
        for (i, element) in elements.enumerated() {
            patches.append(resource(element, at: profilesPointer.appending(i), problems: &problems))
        }
        let listIDs = relationshipIDs(
            job["relationships"]?["lists"], type: "list", data.appending(path: "relationships", "lists"), &problems)
        try problems.check()
        return BulkImport(profiles: patches, listIDs: listIDs)
    }

    /// The ids of a to-many relationship `{"data":[{"type","id"}]}`; absent means none.
    static func relationshipIDs(
        _ relationship: SandboxJSON?, type: String, _ pointer: JSONPointer, _ problems: inout Problems
    ) -> [String] {
        guard let relationship else { return [] }
        guard let object = problems.object(relationship, pointer),
            let elements = problems.array(object["data"], pointer.appending("data"))
        else { return [] }
        var ids: [String] = []
        for (i, element) in elements.enumerated() {
            let at = pointer.appending("data").appending(i)
            guard let item = problems.object(element, at) else { continue }
            problems.type(item, type, at)
            guard case .string(let id)? = item["id"], !id.isEmpty else {
                problems.add(at.appending("id"), "'id' is required and must be a non-empty string.")
                continue
            }
            ids.append(id)
        }
        return ids
    }
}
