/// The people and places of the synthetic business: names, streets and the delivery area (US Eastern).
///
/// Every email domain is reserved for examples (RFC 2606) and every phone number is in the fictional
/// 555-01xx range, so no generated contact can reach a real person.
enum Directory {
    /// First names; a few carry accents, so consumers meet real UTF-8.
    static let firstNames: [String] = [
        "Maria", "James", "Emily", "Michael", "Sarah", "David", "Jessica", "Daniel", "Ashley", "Matthew",
        "Jennifer", "Christopher", "Amanda", "Joshua", "Megan", "Andrew", "Lauren", "Ryan", "Rachel", "Brian",
        "Nicole", "Kevin", "Stephanie", "Jason", "Elizabeth", "Justin", "Heather", "Eric", "Rebecca", "Adam",
        "Katherine", "Tyler", "Samantha", "Aaron", "Hannah", "Nathan", "Olivia", "Kyle", "Emma", "Sean",
        "Sophia", "Patrick", "Abigail", "Jacob", "Grace", "Benjamin", "Chloe", "Zachary", "Natalie", "Thomas",
        "Anna", "Jonathan", "Julia", "Brandon", "Victoria", "Aiden", "Madison", "Ethan", "Alyssa", "Noah",
        "Priya", "Wei", "Aisha", "Mateo", "Yuki", "Omar", "Fatima", "Carlos", "Mei", "Diego",
        "José", "Zoë", "Renée", "André", "Chloé", "Inés", "Björn", "Siobhan", "Nguyen", "Kwame",
        "Linda", "Robert", "Patricia", "William", "Barbara", "Richard", "Susan", "Joseph", "Margaret", "Charles",
        "Karen", "Thomas", "Nancy", "Mark", "Lisa", "Paul", "Betty", "Steven", "Sandra", "Kenneth",
    ]

    /// Last names.
    static let lastNames: [String] = [
        "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
        "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
        "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
        "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
        "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts",
        "Kowalski", "O'Brien", "Schmidt", "Müller", "Patel", "Shah", "Kim", "Park", "Chen", "Wang",
        "Nuñez", "Brennan", "Fitzgerald", "Sullivan", "Murphy", "Kelly", "Russo", "Esposito", "Bianchi", "Novak",
        "Okafor", "Mensah", "Haddad", "Cohen", "Levy", "Friedman", "Yamamoto", "Tanaka", "Silva", "Costa",
        "Zimmerman", "Hoffman", "Stewart", "Morris", "Rogers", "Reed", "Cook", "Morgan", "Bell", "Murray",
        "Price", "Bennett", "Wood", "Barnes", "Ross", "Henderson", "Coleman", "Jenkins", "Perry", "Powell",
    ]

    /// Email domains, all reserved for documentation (RFC 2606).
    static let emailDomains: [String] = [
        "example.com", "example.com", "example.com", "example.net", "example.org", "mail.example.com",
        "inbox.example.net", "post.example.org",
    ]

    /// Street names.
    static let streets: [String] = [
        "Maple Ave", "Oak St", "Pine St", "Cedar Ln", "Elm St", "Walnut St", "Chestnut St", "Spruce St",
        "Main St", "High St", "Market St", "Church St", "Park Ave", "Washington Blvd", "Lincoln Ave",
        "Jefferson St", "Franklin St", "Liberty Ave", "Penn Ave", "Forbes Ave", "Murray Ave", "Ellsworth Ave",
        "Shady Ln", "Meadow Rd", "Orchard Way", "Hillcrest Dr", "Sunset Dr", "Ridge Rd", "Valley View Rd",
        "Mill Rd", "River Rd", "Lakeview Dr", "Highland Ave", "Locust St", "Sycamore Ct", "Willow Way",
        "Birch Ct", "Magnolia Dr", "Dogwood Ln", "Hawthorne St", "Spring Garden St", "Greenmount Ave",
        "Charles St", "Harford Rd", "Broad St", "Delaware Ave", "Kennett Pike", "Nassau St", "Haddon Ave",
        "High St NW", "Euclid Ave", "Vine St", "Monument Ave", "Wilson Blvd", "Connecticut Ave NW",
    ]

    /// One city of the delivery area: name, state, the first three digits of its zips, phone area code.
    struct City: Sendable {
        let name: String
        let region: String
        let zipPrefix: Int
        let areaCode: Int
    }

    /// The delivery area.
    static let cities: [City] = [
        City(name: "Pittsburgh", region: "PA", zipPrefix: 152, areaCode: 412),
        City(name: "Philadelphia", region: "PA", zipPrefix: 191, areaCode: 215),
        City(name: "Harrisburg", region: "PA", zipPrefix: 171, areaCode: 717),
        City(name: "Lancaster", region: "PA", zipPrefix: 176, areaCode: 717),
        City(name: "Allentown", region: "PA", zipPrefix: 181, areaCode: 610),
        City(name: "State College", region: "PA", zipPrefix: 168, areaCode: 814),
        City(name: "Erie", region: "PA", zipPrefix: 165, areaCode: 814),
        City(name: "Baltimore", region: "MD", zipPrefix: 212, areaCode: 410),
        City(name: "Annapolis", region: "MD", zipPrefix: 214, areaCode: 410),
        City(name: "Silver Spring", region: "MD", zipPrefix: 209, areaCode: 301),
        City(name: "Wilmington", region: "DE", zipPrefix: 198, areaCode: 302),
        City(name: "Newark", region: "DE", zipPrefix: 197, areaCode: 302),
        City(name: "Princeton", region: "NJ", zipPrefix: 85, areaCode: 609),
        City(name: "Cherry Hill", region: "NJ", zipPrefix: 80, areaCode: 856),
        City(name: "Trenton", region: "NJ", zipPrefix: 86, areaCode: 609),
        City(name: "Columbus", region: "OH", zipPrefix: 432, areaCode: 614),
        City(name: "Cleveland", region: "OH", zipPrefix: 441, areaCode: 216),
        City(name: "Cincinnati", region: "OH", zipPrefix: 452, areaCode: 513),
        City(name: "Richmond", region: "VA", zipPrefix: 232, areaCode: 804),
        City(name: "Arlington", region: "VA", zipPrefix: 222, areaCode: 703),
        City(name: "Washington", region: "DC", zipPrefix: 200, areaCode: 202),
    ]

    /// How often each city appears (big cities more).
    static let cityWeights: [Int] = [16, 18, 4, 4, 5, 2, 2, 12, 3, 5, 4, 2, 3, 4, 2, 8, 6, 6, 5, 5, 8]

    /// Second address lines.
    static let unitPrefixes: [String] = ["Apt", "Apt", "Unit", "Suite", "#"]

    /// The email-safe (ASCII, lowercase) form of a name: accents dropped, punctuation removed.
    static func emailSafe(_ name: String) -> String {
        var out = ""
        for scalar in name.lowercased().unicodeScalars {
            switch scalar {
            case "a"..."z": out.unicodeScalars.append(scalar)
            case "à", "á", "â", "ä", "ã": out += "a"
            case "è", "é", "ê", "ë": out += "e"
            case "ì", "í", "î", "ï": out += "i"
            case "ò", "ó", "ô", "ö", "õ": out += "o"
            case "ù", "ú", "û", "ü": out += "u"
            case "ñ": out += "n"
            default: break
            }
        }
        return out
    }
}
