import LogfoldDomain

/// Valid contract-v1 lines covering every member, built from the seeds' scenarios.
enum EntryFixtures {
    static let startedCheckout = #"""
        {"id":88120533,"at":"2020-05-15T13:03:56-04:00","type":"started.signup","customer":{"id":"1141260","email":"ktest@example.com","first_name":"test","last_name":"mcgee","status":"Prospect","subscribed":true},"cart":{"id":"1141260","total":47.95,"checkout_url":"https://shop.example/sign-up","items":[{"product_id":"705","sku":"ONLYORGANICSMALLBOX","name":"Only Organic Small Box Fruits & Veggies","quantity":1,"price":47.95,"row_total":47.95,"categories":["Boxes"],"kind":"sub"}]}}
        """#

    static let orderCreated = #"""
        {"id":88120990,"at":"2020-05-18T09:00:00-04:00","type":"order.created","customer":{"id":"1141260","email":"ktest@example.com","first_name":"test","last_name":"mcgee","phone":"+15555550123","address":{"line1":"1 Main St","line2":null,"city":"Boston","region":"MA","zip":"02110","country":"US"},"status":"Active","schedule":"Weekly","box":"Only Organic Small Box Fruits & Veggies","signup_date":"2020-05-15T12:35:32-04:00","next_delivery":"2020-05-21","subscribed":true},"order":{"id":"5001","customer_id":"1141260","status":"Open","created_at":"2020-05-18T09:00:00-04:00","delivery_date":"2020-05-21","total":52.45,"currency":"USD","discount_code":"SPRING5","discount_value":5,"items":[{"line_id":"9001","product_id":"705","sku":"ONLYORGANICSMALLBOX","name":"Only Organic Small Box","quantity":1,"price":47.95,"row_total":47.95,"url":"https://shop.example/box","image_url":"https://img.example/box.jpg","categories":["Boxes"],"kind":"sub"},{"line_id":"9002","product_id":"88","sku":"AVOCADO","name":"Avocado","quantity":2,"price":2.25,"row_total":4.50,"categories":["Fruit","Addons"],"kind":"addon"}]},"data":{"source":"schedule","note":"ünïcødé \"quoted\" \\ \u00e9\ud83d\ude00","n":[1,2.5,-3e2,true,null,{"x":{}}]},"extra_member":{"kept":"in the journal"}}
        """#

    static let cancelled = #"""
        {"id":88121000,"at":"2020-05-15T12:40:28-04:00","type":"cancelled","customer":{"id":"1141260","status":"Stopped","cancel_date":"2020-05-15","schedule":null,"box":null,"subscribed":false},"data":{"reason":"moving"}}
        """#

    static let all = [startedCheckout, orderCreated, cancelled]
}
